import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import type { Logger } from './errors';
import { createHttpApp } from './http/http-app';
import { OwnerCookie } from './http/owner-cookie';
import { WallService } from './photos/wall-service';
import { createSocketServer, WALL_ROOM, type PhotobookServer } from './realtime/socket-server';
import type { PhotoStore } from './store/types';
import { UploadService } from './upload/upload-service';

export interface AppDeps {
  readonly config: Pick<Config, 'staticDir' | 'maxUploadBytes' | 'maxPixels' | 'allowedOrigins' | 'secureCookies' | 'publicUrl'>;
  readonly cookieSecret: string;
  readonly store: PhotoStore;
  readonly logger: Logger;
  /** This machine's LAN address, for the QR code when the wall runs on localhost. */
  readonly lanHost?: string | null;
  readonly now?: () => number;
  /** Partial uploads idle this long are deleted (default one hour). */
  readonly uploadIdleMs?: number;
}

export interface App {
  readonly http: HttpServer;
  readonly io: PhotobookServer;
  readonly uploads: UploadService;
  listen(port: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

/** Assembles the app from its dependencies. Nothing listens and no timer runs until listen(). */
export function createApp(deps: AppDeps): App {
  const now = deps.now ?? Date.now;
  const { config, store, logger } = deps;
  const ownerCookie = new OwnerCookie(deps.cookieSecret, config.secureCookies);
  const join = { publicUrl: config.publicUrl, lanHost: deps.lanHost ?? null };
  const http = createServer(createHttpApp({ store, ownerCookie, staticDir: config.staticDir, logger, join }));
  let io: PhotobookServer | null = null;
  const uploads = new UploadService({
    store,
    logger,
    now,
    limits: { maxPixels: config.maxPixels, maxUploadBytes: config.maxUploadBytes },
    onPhotoAdded: (photo) => io?.to(WALL_ROOM).emit('photo:added', photo),
  });
  io = createSocketServer(http, {
    uploads,
    wall: new WallService(store),
    ownerCookie,
    allowedOrigins: config.allowedOrigins,
    logger,
  });
  const idleMs = deps.uploadIdleMs ?? 60 * 60 * 1000;
  let sweeper: NodeJS.Timeout | null = null;

  return {
    http,
    io,
    uploads,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          sweeper = setInterval(() => {
            uploads.sweep(now() - idleMs).catch((e: unknown) => logger.error('sweep failed', { error: String(e) }));
          }, Math.min(idleMs, 60_000));
          sweeper.unref();
          resolve(http.address() as AddressInfo);
        });
      });
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      await new Promise<void>((resolve) => io!.close(() => resolve()));
      if (http.listening) await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
