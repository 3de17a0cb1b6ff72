import type { Namespace } from 'socket.io';
import {
  ADMIN_NAMESPACE,
  ok,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type AdminStats,
} from '@photobook/shared';
import type { AdminAccess } from '../admin/admin-access';
import type { Logger } from '../errors';
import type { PhotoService } from '../photos/photo-service';
import type { SettingsService } from '../settings/settings-service';
import type { PhotoStore } from '../store/types';
import { WALL_ROOM } from './rooms';
import { originAllowed, reply, type PhotobookServer } from './socket-server';

export interface AdminSocketData {
  /** The admin session this socket was opened with; checked again before every event. */
  sessionId: string;
}

export type AdminNamespace = Namespace<AdminClientToServerEvents, AdminServerToClientEvents, Record<string, never>, AdminSocketData>;

export interface AdminNamespaceDeps {
  readonly admin: AdminAccess;
  readonly allowedOrigins: readonly string[];
  readonly settings: SettingsService;
  readonly photos: PhotoService;
  readonly store: PhotoStore;
  readonly logger: Logger;
}

/** The most photos counted for the stats (far above a party's; the count stays one cheap query). */
const COUNT_LIMIT = 10_000;

/**
 * The admin console's namespace on the same server: only a live admin session gets in (the guest's
 * owner cookie grants nothing), and a socket whose session ended (signed out elsewhere, expired) is
 * disconnected at its next event instead of being served.
 */
export function attachAdminNamespace(io: PhotobookServer, deps: AdminNamespaceDeps): AdminNamespace {
  const admin = io.of(ADMIN_NAMESPACE) as unknown as AdminNamespace;
  const { logger } = deps;
  admin.use((socket, next) => {
    const session = deps.admin.session(socket.request.headers.cookie);
    if (!originAllowed(socket.request, deps.allowedOrigins) || !session) {
      next(new Error('unauthorized'));
      return;
    }
    socket.data.sessionId = session.id;
    next();
  });
  admin.on('connection', (socket) => {
    socket.use((_packet, next) => {
      if (deps.admin.stillValid(socket.data.sessionId)) next();
      else socket.disconnect();
    });
    socket.on('admin:pause', (req, ack) => reply(ack, () => deps.settings.pauseUploads((req as { message?: unknown } | null)?.message), logger));
    socket.on('admin:resume', (_req, ack) => reply(ack, () => deps.settings.resumeUploads(), logger));
    socket.on('admin:stats', (_req, ack) => reply(ack, async () => ok(await stats(io, deps)), logger));
    socket.on('admin:moderate', (req, ack) => reply(ack, () => deps.photos.moderate(req), logger));
    socket.on('admin:remove', (req, ack) => reply(ack, () => deps.photos.remove({ kind: 'host' }, req), logger));
    socket.on('admin:block', (req, ack) => reply(ack, () => deps.photos.blockUploader(req), logger));
    socket.on('admin:approval', (req, ack) =>
      reply(
        ack,
        async () => {
          const changed = await deps.settings.requireApproval((req as { required?: unknown } | null)?.required);
          return changed.ok ? ok({ required: changed.value.approvalRequired }) : changed;
        },
        logger,
      ),
    );
  });
  return admin;
}

async function stats(io: PhotobookServer, deps: AdminNamespaceDeps): Promise<AdminStats> {
  const [photos, open, storage] = await Promise.all([
    deps.store.listPhotos(COUNT_LIMIT),
    // Every open upload is "stale" before the end of time: the store's one listing of them all.
    deps.store.listStaleUploads({ idleBefore: Number.POSITIVE_INFINITY, createdBefore: 0 }),
    deps.store.storage(),
  ]);
  return {
    photos: photos.length,
    walls: io.of('/').adapter.rooms.get(WALL_ROOM)?.size ?? 0,
    uploadsOpen: open.length,
    storage: { freeBytes: storage.freeBytes, reserveBytes: storage.reserveBytes, full: storage.full },
  };
}

