import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import {
  ErrorCode,
  MAX_SOCKET_MESSAGE_BYTES,
  validateSinceSeq,
  type ClientToServerEvents,
  type Result,
  type ServerToClientEvents,
} from '@photobook/shared';
import { AppError, type Logger } from '../errors';
import type { OwnerCookie } from '../http/owner-cookie';
import type { WallService } from '../photos/wall-service';
import type { SettingsService } from '../settings/settings-service';
import type { UploadService } from '../upload/upload-service';

export interface SocketData {
  ownerId: string;
}

export type PhotobookServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const WALL_ROOM = 'wall';

export interface SocketDeps {
  readonly uploads: UploadService;
  readonly settings: SettingsService;
  readonly wall: WallService;
  readonly ownerCookie: OwnerCookie;
  readonly allowedOrigins: readonly string[];
  readonly logger: Logger;
}

/** A browser page may only open a socket from its own origin (the cookie is the guest's identity). */
export function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function createSocketServer(http: HttpServer, deps: SocketDeps): PhotobookServer {
  const io: PhotobookServer = new Server(http, {
    maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
    serveClient: false,
    allowRequest: (req, callback) => callback(null, originAllowed(req, deps.allowedOrigins)),
  });
  const issued = new WeakMap<IncomingMessage, string>();
  // A socket that arrives without a cookie gets one on its handshake response.
  io.engine.on('initial_headers', (headers: Record<string, string | string[]>, req: IncomingMessage) => {
    if (deps.ownerCookie.read(req.headers.cookie)) return;
    const cookie = deps.ownerCookie.issue();
    issued.set(req, cookie.uid);
    headers['set-cookie'] = cookie.header;
  });
  io.use((socket, next) => {
    const req = socket.request;
    const ownerId = deps.ownerCookie.read(req.headers.cookie) ?? issued.get(req) ?? deps.ownerCookie.issue().uid;
    socket.data.ownerId = ownerId;
    next();
  });
  io.on('connection', (socket) => {
    const owner = () => socket.data.ownerId;
    const { uploads, wall, logger } = deps;
    // The upload page learns at once whether uploads are paused, and the limits it should respect.
    deps.settings.uploadSettings().then(
      (settings) => socket.emit('settings:changed', settings),
      (e: unknown) => logger.error('settings unavailable', { error: String(e) }),
    );
    socket.on('upload:begin', (req, ack) => reply(ack, () => uploads.begin(owner(), req), logger));
    socket.on('upload:chunk', (req, ack) => reply(ack, () => uploads.chunk(owner(), req), logger));
    socket.on('upload:commit', (req, ack) => reply(ack, () => uploads.commit(owner(), req), logger));
    socket.on('upload:abort', (req, ack) => reply(ack, () => uploads.abort(owner(), req), logger));
    socket.on('wall:join', (req, ack) =>
      reply(
        ack,
        async () => {
          const since = validateSinceSeq(req);
          if (!since.ok) return since;
          await socket.join(WALL_ROOM);
          return wall.snapshot(since.value);
        },
        logger,
      ),
    );
  });
  return io;
}

/** Runs a handler and acks its Result; a hostile client that sends no ack function gets nothing. */
function reply<T>(ack: unknown, handler: () => Promise<Result<T>>, logger: Logger): void {
  const send = typeof ack === 'function' ? (ack as (r: Result<T>) => void) : () => undefined;
  handler().then(send, (e: unknown) => {
    logger.error('socket handler failed', { error: e instanceof Error ? e.stack : String(e) });
    send(new AppError(ErrorCode.Internal, 'Something went wrong on the server.').toResult());
  });
}
