import { ADMIN_NAMESPACE } from '@photobook/shared';
import type { Presence } from '../admin/admin-stats';
import type { Logger } from '../errors';
import type { SettingsService } from '../settings/settings-service';
import type { PhotoStore } from '../store/types';
import type { AdminNamespace } from './admin-namespace';
import { WALL_ROOM } from './rooms';
import { REPLICA_REQUEST_TIMEOUT_MS, type RedisLink } from './redis-link';
import type { PhotobookServer } from './socket-server';

/** What one replica says about itself when the console asks for counts. */
export interface ReplicaCounts {
  readonly walls: number;
}

/** Events between server replicas (Socket.IO's serverSideEmit, carried by the Redis adapter). */
export interface ReplicaEvents {
  'replica:counts': (ack: (counts: ReplicaCounts) => void) => void;
  /** New durable jobs are waiting: whoever runs jobs looks now instead of at its next poll. */
  'jobs:queued': () => void;
  /**
   * These public image keys may no longer be served (a photo hidden, held back or removed); null:
   * any key. Each replica drops them from its media cache.
   */
  'media:stale': (keys: string[] | null) => void;
}

/** What this replica does when the others say so. */
export interface ReplicaListeners {
  readonly jobsQueued: () => void;
  readonly mediaStale: (keys: readonly string[] | null) => void;
}

/** A key list from another replica, checked all the same: anything else means "forget them all". */
const keysOf = (keys: unknown): string[] | null =>
  Array.isArray(keys) && keys.every((k) => typeof k === 'string') ? (keys as string[]) : null;


const localCounts = (io: PhotobookServer): ReplicaCounts => ({ walls: io.of('/').adapter.rooms.get(WALL_ROOM)?.size ?? 0 });

/** One server on its own (no REDIS_URL): its own counts are everyone's. */
export function soloPresence(io: () => PhotobookServer): Presence {
  return {
    cluster: async () => ({ walls: localCounts(io()).walls, cluster: { redis: 'off', replicas: 1, partial: false } }),
    localSockets: () => socketsByNamespace(io()),
  };
}

/**
 * Replicas linked by Redis: each answers for its own walls; a replica that does not answer in time
 * (or Redis being down) leaves the count partial rather than the console waiting.
 */
export function linkedPresence(io: () => PhotobookServer, link: RedisLink): Presence {
  return {
    async cluster() {
      const own = localCounts(io());
      if (link.state !== 'up') return { walls: own.walls, cluster: { redis: 'down', replicas: 1, partial: true } };
      const { replies, partial } = await new Promise<{ replies: ReplicaCounts[]; partial: boolean }>((resolve) => {
        // The adapter answers within its requestsTimeout, with the replies it got if some were late;
        // but when Redis refuses its first command it never answers at all, hence this deadline.
        const deadline = setTimeout(() => resolve({ replies: [], partial: true }), REPLICA_REQUEST_TIMEOUT_MS + 500);
        const settle = (answer: { replies: ReplicaCounts[]; partial: boolean }) => (clearTimeout(deadline), resolve(answer));
        try {
          io().serverSideEmit('replica:counts', (e: Error | null, replies: ReplicaCounts[]) => settle({ replies: replies ?? [], partial: e !== null }));
        } catch {
          settle({ replies: [], partial: true });
        }
      });
      const others = replies.filter((r) => typeof r?.walls === 'number');
      return {
        walls: others.reduce((sum, r) => sum + r.walls, own.walls),
        cluster: { redis: link.state, replicas: others.length + 1, partial },
      };
    },
    localSockets: () => socketsByNamespace(io()),
  };
}

/** Answers other replicas' questions, and hears of jobs queued and images hidden anywhere. */
export function listenToReplicas(io: PhotobookServer, on: ReplicaListeners): void {
  io.on('replica:counts', (ack) => {
    if (typeof ack === 'function') ack(localCounts(io));
  });
  io.on('jobs:queued', () => on.jobsQueued());
  io.on('media:stale', (keys) => on.mediaStale(keysOf(keys)));
}

function socketsByNamespace(io: PhotobookServer): Record<string, number> {
  return { '/': io.of('/').sockets.size, [ADMIN_NAMESPACE]: io.of(ADMIN_NAMESPACE).sockets.size };
}

export interface ResumeSources {
  readonly settings: Pick<SettingsService, 'publicSettings' | 'adminState'>;
  readonly store: Pick<PhotoStore, 'currentSeq'>;
}

/**
 * The link came back: this replica's own screens may have missed what other replicas broadcast.
 * Walls and "My photos" catch up from the store, upload pages get the current switches, consoles
 * the current state and a nudge up to the current seq. Only local sockets: each replica heals its own.
 */
export async function resumeLocalScreens(io: PhotobookServer, sources: ResumeSources, logger: Logger): Promise<void> {
  io.local.emit('feed:resumed');
  try {
    const [page, admin, seq] = await Promise.all([sources.settings.publicSettings(), sources.settings.adminState(), sources.store.currentSeq()]);
    io.local.emit('settings:changed', page);
    const consoles = io.of(ADMIN_NAMESPACE).local as unknown as Pick<AdminNamespace, 'emit'>;
    consoles.emit('state:changed', admin);
    consoles.emit('photos:changed', { seq });
  } catch (e) {
    logger.warn('could not refresh screens after the redis link came back', { error: String(e) });
  }
}
