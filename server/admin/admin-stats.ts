import type { AdminClusterDto, AdminStats } from '@photobook/shared';
import type { ModerationStore, StorageUpkeep, UploadStore } from '../store/types';

/** Who is connected, across the replicas: realtime/ knows (it counts sockets), this service asks. */
export interface Presence {
  cluster(): Promise<{ readonly walls: number; readonly cluster: AdminClusterDto }>;
  /** Sockets connected to this replica, by namespace (for /metrics). */
  localSockets(): Record<string, number>;
}

export interface AdminStatsDeps {
  readonly store: UploadStore & StorageUpkeep & Pick<ModerationStore, 'photoCounts'>;
  readonly presence: Presence;
}

/** The numbers on the host's console: photos and guests from the store, screens from every replica. */
export class AdminStatsService {
  constructor(private readonly deps: AdminStatsDeps) {}

  async read(): Promise<AdminStats> {
    const { store, presence } = this.deps;
    const [counts, open, storage, reserved, outstanding, connected] = await Promise.all([
      store.photoCounts(),
      // Every open upload is "stale" before the end of time: the store's one listing of them all.
      store.listStaleUploads({ idleBefore: Number.POSITIVE_INFINITY, createdBefore: 0 }),
      store.storage(),
      store.reservedUploadBytes(),
      store.outstandingBytes(),
      presence.cluster(),
    ]);
    return {
      photos: { visible: counts.visible, pending: counts.pending, hidden: counts.hidden },
      guests: counts.guests,
      walls: connected.walls,
      uploadsOpen: open.length,
      storage: {
        freeBytes: storage.freeBytes,
        usedBytes: counts.bytes + Math.max(0, reserved - outstanding),
        reserveBytes: storage.reserveBytes,
        full: storage.full,
      },
      cluster: connected.cluster,
    };
  }
}
