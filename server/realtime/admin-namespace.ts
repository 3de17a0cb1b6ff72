import type { Namespace } from 'socket.io';
import {
  ADMIN_NAMESPACE,
  ok,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type Result,
} from '@photobook/shared';
import type { AdminAccess } from '../admin/admin-access';
import type { AdminStatsService } from '../admin/admin-stats';
import type { BookService } from '../books/book-service';
import type { Logger } from '../errors';
import type { HostPhotos } from '../photos/host-photos';
import type { PhotoService } from '../photos/photo-service';
import type { SettingsService } from '../settings/settings-service';
import type { ReplicaEvents } from './replicas';
import { originAllowed, reply, type PhotobookServer } from './socket-server';

export interface AdminSocketData {
  /** The admin session this socket was opened with; checked again before every event. */
  sessionId: string;
}

export type AdminNamespace = Namespace<AdminClientToServerEvents, AdminServerToClientEvents, ReplicaEvents, AdminSocketData>;

export interface AdminNamespaceDeps {
  readonly admin: AdminAccess;
  readonly allowedOrigins: readonly string[];
  readonly settings: SettingsService;
  readonly photos: PhotoService;
  readonly host: HostPhotos;
  readonly stats: Pick<AdminStatsService, 'read'>;
  readonly books: Pick<BookService, 'request' | 'status' | 'coverPhotos'>;
  readonly logger: Logger;
}

const field = (req: unknown, name: string): unknown => (typeof req === 'object' && req !== null ? (req as Record<string, unknown>)[name] : undefined);

/**
 * The host's changes leave one info line each once they took effect: what was done and to which
 * photo, never who uploaded it (no owner key, no guest alias) nor which session did it.
 */
function audited<T>(logger: Logger, message: string, handler: () => Promise<Result<T>>, fields: (value: T) => Record<string, unknown> = () => ({})) {
  return async (): Promise<Result<T>> => {
    const result = await handler();
    if (result.ok) logger.info(message, fields(result.value));
    return result;
  };
}

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
    socket.on('admin:pause', (req, ack) => reply(ack, audited(logger, 'admin paused uploads', () => settings.pauseUploads(field(req, 'message'))), logger));
    socket.on('admin:resume', (_req, ack) => reply(ack, audited(logger, 'admin resumed uploads', () => settings.resumeUploads()), logger));
    socket.on('admin:approval', (req, ack) =>
      reply(ack, audited(logger, 'admin set pre-approval', () => settings.requireApproval(field(req, 'required')), (s) => ({ required: s.uploads.approvalRequired })), logger),
    );
    socket.on('admin:settings', (req, ack) =>
      // Only the names of settings that exist: the request itself is the client's to shape.
      reply(ack, audited(logger, 'admin changed settings', () => settings.changeSettings(req), (s) => ({ fields: Object.keys(req ?? {}).filter((k) => Object.hasOwn(s.settings, k)) })), logger),
    );
    socket.on('admin:stats', (_req, ack) => reply(ack, async () => ok(await deps.stats.read()), logger));
    socket.on('admin:photos', (req, ack) => reply(ack, () => host.list(req), logger));
    socket.on('admin:changes', (req, ack) => reply(ack, () => host.changes(req), logger));
    socket.on('admin:moderate', (req, ack) =>
      reply(ack, audited(logger, 'admin moderated a photo', () => host.moderate(req), (p) => ({ photoId: p.id, state: p.state })), logger),
    );
    socket.on('admin:remove', (req, ack) =>
      reply(ack, audited(logger, 'admin removed a photo', () => deps.photos.remove({ kind: 'host' }, req), () => ({ photoId: field(req, 'id') })), logger),
    );
    socket.on('admin:bulk', (req, ack) =>
      reply(ack, audited(logger, 'admin changed photos in bulk', () => host.bulk(req), (r) => ({ action: field(req, 'action'), changed: r.changed })), logger),
    );
    // The photo names the guest for the host; the log keeps that photo's id, not the guest.
    socket.on('admin:block', (req, ack) =>
      reply(ack, audited(logger, 'admin blocked a guest', () => deps.photos.blockUploader(req), (r) => ({ photoId: field(req, 'id'), hidden: r.hidden })), logger),
    );
    socket.on('admin:unblock', (req, ack) =>
      reply(ack, audited(logger, 'admin unblocked a guest', () => host.unblock(req), () => ({ photoId: field(req, 'id') })), logger),
    );
    socket.on('admin:book', (req, ack) =>
      reply(ack, audited(logger, 'admin asked for a photo book', () => deps.books.request(req), (s) => ({ bookId: s.latest?.id, paper: s.latest?.paper })), logger),
    );
    socket.on('admin:book-status', (_req, ack) => reply(ack, () => deps.books.status(), logger));
    socket.on('admin:book-photos', (req, ack) => reply(ack, () => deps.books.coverPhotos(req), logger));
  });
  return admin;
}
