import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import {
  ADMIN_NAMESPACE,
  ErrorCode,
  MAX_SOCKET_MESSAGE_BYTES,
  err,
  validateWallJoin,
  type ClientToServerEvents,
  type Result,
  type ServerToClientEvents,
} from '@photobook/shared';
import { AppError, type Logger } from '../errors';
import type { OwnerCookie } from '../http/owner-cookie';
import type { RequestLimiter } from '../limits/request-limiter';
import type { OwnerKeys } from '../owners/owner-keys';
import type { RecoveryService } from '../owners/recovery-service';
import type { PhotoService } from '../photos/photo-service';
import type { WallService } from '../photos/wall-service';
import type { SettingsService } from '../settings/settings-service';
import type { UploadService } from '../upload/upload-service';
import type { ReplicaEvents } from './replicas';
import { WALL_ROOM, ownerRoom } from './rooms';

export interface SocketData {
  /** This browser's key: a keyed hash of its cookie's id. */
  browserKey: string;
  /** The owner the browser stands for (its own key, or the owner it recovered): what the store knows. */
  ownerId: string;
  /** The guest's address (behind a trusted proxy, the forwarded one): for per-address limits. */
  address: string;
}

export type PhotobookServer = Server<ClientToServerEvents, ServerToClientEvents, ReplicaEvents, SocketData>;

export interface SocketIdentity {
  readonly ownerCookie: OwnerCookie;
  readonly ownerKeys: OwnerKeys;
  /** A browser that recovered an owner with a code stands for that owner. */
  readonly resolveOwner: (browserKey: string) => Promise<string>;
  readonly allowedOrigins: readonly string[];
  /** The guest's address: the connection's, or the one a trusted proxy forwarded (TRUST_PROXY). */
  readonly clientAddress: (req: IncomingMessage) => string;
  /** False while draining: new connections go to another replica. */
  readonly accepting: () => boolean;
  /** The Redis adapter when replicas share events; the in-memory one otherwise. */
  readonly adapter?: ServerOptions['adapter'];
}

export interface SocketHandlers {
  readonly uploads: UploadService;
  readonly settings: SettingsService;
  readonly wall: WallService;
  readonly photos: PhotoService;
  readonly recovery: RecoveryService;
  /** upload:begin per guest and per IP (UP19). */
  readonly beginLimits: { readonly perGuest: RequestLimiter; readonly perIp: RequestLimiter };
  /** What the store knows an address by (per-address upload caps): a keyed hash, never the address. */
  readonly addressKey: (address: string) => string;
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

/** The Socket.IO server with its handshake rules: origin check, and every socket knows its owner. */
export function createSocketServer(http: HttpServer, identity: SocketIdentity): PhotobookServer {
  const io: PhotobookServer = new Server(http, {
    maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
    serveClient: false,
    allowRequest: (req, callback) => callback(null, identity.accepting() && originAllowed(req, identity.allowedOrigins)),
    ...(identity.adapter ? { adapter: identity.adapter } : {}),
  });
  const issued = new WeakMap<IncomingMessage, string>();
  // A socket that arrives without a cookie gets one on its handshake response.
  io.engine.on('initial_headers', (headers: Record<string, string | string[]>, req: IncomingMessage) => {
    if (identity.ownerCookie.read(req.headers.cookie)) return;
    const cookie = identity.ownerCookie.issue();
    issued.set(req, cookie.uid);
    headers['set-cookie'] = cookie.header;
  });
  io.use((socket, next) => {
    const req = socket.request;
    const uid = identity.ownerCookie.read(req.headers.cookie) ?? issued.get(req) ?? identity.ownerCookie.issue().uid;
    socket.data.browserKey = identity.ownerKeys.keyOf(uid);
    socket.data.address = identity.clientAddress(req);
    identity.resolveOwner(socket.data.browserKey).then(
      (ownerId) => {
        socket.data.ownerId = ownerId;
        next();
      },
      () => next(new Error('The server could not start this connection; it will try again.')),
    );
  });
  return io;
}

/** What each socket may ask; answers are Results, never throws. */
export function attachHandlers(io: PhotobookServer, deps: SocketHandlers): void {
  io.on('connection', (socket) => {
    const owner = () => socket.data.ownerId;
    const actor = () => ({ kind: 'owner' as const, ownerId: owner() });
    const { uploads, wall, photos, logger } = deps;
    // The upload page learns at once whether uploads are paused, and the limits it should respect.
    deps.settings.publicSettings().then(
      (settings) => socket.emit('settings:changed', settings),
      (e: unknown) => logger.error('settings unavailable', { error: String(e) }),
    );
    socket.on('upload:begin', (req, ack) =>
      reply(
        ack,
        async () => {
          const { perGuest, perIp } = deps.beginLimits;
          if (!(await perGuest.allow(owner())) || !(await perIp.allow(socket.data.address))) {
            return err(ErrorCode.RateLimited, 'Lots of photos at once: please wait a moment.');
          }
          return uploads.begin(owner(), req, { addressKey: deps.addressKey(socket.data.address) });
        },
        logger,
      ),
    );
    socket.on('upload:chunk', (req, ack) => reply(ack, () => uploads.chunk(owner(), req), logger));
    socket.on('upload:commit', (req, ack) => reply(ack, () => uploads.commit(owner(), req), logger));
    socket.on('upload:abort', (req, ack) => reply(ack, () => uploads.abort(owner(), req), logger));
    socket.on('wall:join', (req, ack) =>
      reply(
        ack,
        async () => {
          const join = validateWallJoin(req);
          if (!join.ok) return join;
          await socket.join(WALL_ROOM);
          return wall.snapshot(join.value.sinceSeq, join.value.limit);
        },
        logger,
      ),
    );
    // Any socket may page through the wall; no room is joined, the live feed comes with wall:join.
    socket.on('wall:page', (req, ack) => reply(ack, () => wall.page(req), logger));
    socket.on('mine:list', (_req, ack) =>
      reply(
        ack,
        async () => {
          // Joined before listing, so nothing that changes meanwhile is missed.
          await socket.join(ownerRoom(owner()));
          return photos.listOwn(owner());
        },
        logger,
      ),
    );
    socket.on('photo:update', (req, ack) => reply(ack, () => photos.update(actor(), req), logger));
    socket.on('photo:remove', (req, ack) => reply(ack, () => photos.remove(actor(), req), logger));
    socket.on('owner:code', (_req, ack) => reply(ack, () => deps.recovery.newCode(owner()), logger));
    socket.on('owner:recover', (req, ack) =>
      reply(
        ack,
        async () => {
          const recovered = await deps.recovery.recover(socket.data.browserKey, socket.data.address, req);
          if (!recovered.ok) return recovered;
          // This socket stands for the recovered owner at once; the browser's next ones resolve to it.
          const before = ownerRoom(owner());
          socket.data.ownerId = recovered.value.ownerId;
          if (socket.rooms.has(before)) {
            await socket.leave(before);
            await socket.join(ownerRoom(owner()));
          }
          return { ok: true as const, value: { photos: recovered.value.photos } };
        },
        logger,
      ),
    );
  });
}

/**
 * Closes every connection's transport without a Socket.IO disconnect (which would stop the client
 * for good): each page reconnects at once, through the proxy, to a replica that takes it.
 */
export function reconnectEveryone(io: PhotobookServer): void {
  for (const name of ['/', ADMIN_NAMESPACE]) {
    for (const socket of io.of(name).sockets.values()) socket.conn.close();
  }
}

/** Runs a handler and acks its Result; a hostile client that sends no ack function gets nothing. */
export function reply<T>(ack: unknown, handler: () => Promise<Result<T>>, logger: Logger): void {
  const send = typeof ack === 'function' ? (ack as (r: Result<T>) => void) : () => undefined;
  handler().then(send, (e: unknown) => {
    logger.error('socket handler failed', { error: e instanceof Error ? e.stack : String(e) });
    send(new AppError(ErrorCode.Internal, 'Something went wrong on the server.').toResult());
  });
}
