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
import type { HostPhotos } from '../photos/host-photos';
import type { PhotoService } from '../photos/photo-service';
import type { SettingsService } from '../settings/settings-service';
import type { ModerationStore, StorageUpkeep, UploadStore } from '../store/types';
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
  readonly host: HostPhotos;
  readonly store: UploadStore & StorageUpkeep & ModerationStore;
  readonly logger: Logger;
}

const field = (req: unknown, name: string): unknown => (typeof req === 'object' && req !== null ? (req as Record<string, unknown>)[name] : undefined);

/**
 * The admin console's namespace on the same server: only a live admin session gets in (the guest's
 * owner cookie grants nothing), and a socket whose session ended (signed out elsewhere, expired) is
 * disconnected at its next event instead of being served.
 */
export function attachAdminNamespace(io: PhotobookServer, deps: AdminNamespaceDeps): AdminNamespace {
  const admin = io.of(ADMIN_NAMESPACE) as unknown as AdminNamespace;
  const { logger, settings, host } = deps;
  admin.use((socket, next) => {
    if (!originAllowed(socket.request, deps.allowedOrigins)) {
      next(new Error('unauthorized'));
      return;
    }
    deps.admin.session(socket.request.headers.cookie).then(
      (session) => {
        if (!session) return next(new Error('unauthorized'));
        socket.data.sessionId = session.id;
        next();
      },
      () => next(new Error('The server could not check the session; it will try again.')),
    );
  });
  admin.on('connection', (socket) => {
    socket.use((_packet, next) => {
      deps.admin.stillValid(socket.data.sessionId).then(
        (valid) => (valid ? next() : socket.disconnect()),
        // The request goes unanswered: the console times out and asks again.
        (e: unknown) => logger.error('admin session check failed', { error: String(e) }),
      );
    });
    socket.on('admin:state', (_req, ack) => reply(ack, async () => ok(await settings.adminState()), logger));
    socket.on('admin:pause', (req, ack) => reply(ack, () => settings.pauseUploads(field(req, 'message')), logger));
    socket.on('admin:resume', (_req, ack) => reply(ack, () => settings.resumeUploads(), logger));
    socket.on('admin:approval', (req, ack) => reply(ack, () => settings.requireApproval(field(req, 'required')), logger));
    socket.on('admin:settings', (req, ack) => reply(ack, () => settings.changeSettings(req), logger));
    socket.on('admin:stats', (_req, ack) => reply(ack, async () => ok(await stats(io, deps)), logger));
    socket.on('admin:photos', (req, ack) => reply(ack, () => host.list(req), logger));
    socket.on('admin:changes', (req, ack) => reply(ack, () => host.changes(req), logger));
    socket.on('admin:moderate', (req, ack) => reply(ack, () => host.moderate(req), logger));
    socket.on('admin:remove', (req, ack) => reply(ack, () => deps.photos.remove({ kind: 'host' }, req), logger));
    socket.on('admin:bulk', (req, ack) => reply(ack, () => host.bulk(req), logger));
    socket.on('admin:block', (req, ack) => reply(ack, () => deps.photos.blockUploader(req), logger));
    socket.on('admin:unblock', (req, ack) => reply(ack, () => host.unblock(req), logger));
  });
  return admin;
}

async function stats(io: PhotobookServer, deps: AdminNamespaceDeps): Promise<AdminStats> {
  const { store } = deps;
  const [counts, open, storage, reserved, outstanding] = await Promise.all([
    store.photoCounts(),
    // Every open upload is "stale" before the end of time: the store's one listing of them all.
    store.listStaleUploads({ idleBefore: Number.POSITIVE_INFINITY, createdBefore: 0 }),
    store.storage(),
    store.reservedUploadBytes(),
    store.outstandingBytes(),
  ]);
  return {
    photos: { visible: counts.visible, pending: counts.pending, hidden: counts.hidden },
    guests: counts.guests,
    walls: io.of('/').adapter.rooms.get(WALL_ROOM)?.size ?? 0,
    uploadsOpen: open.length,
    storage: {
      freeBytes: storage.freeBytes,
      usedBytes: counts.bytes + Math.max(0, reserved - outstanding),
      reserveBytes: storage.reserveBytes,
      full: storage.full,
    },
  };
}
