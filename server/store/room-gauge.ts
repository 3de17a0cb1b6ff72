import { sharedCall } from '../util/concurrency';
import { storageFull } from './storage-errors';

/** Room beyond the reserve below which every chunk asks the disk (more than it fills in a second). */
export const ROOM_HEADROOM_BYTES = 1024 * 1024 * 1024;

/**
 * Free room for chunks without asking the disk per chunk (a statfs, or a dbStats round trip): a
 * reading of the free bytes is trusted for `maxAgeMs` from when it was asked for, less what was
 * written since, but only while that leaves more than ROOM_HEADROOM_BYTES above the reserve. Near the
 * reserve every chunk asks again, so another program filling the disk still stops uploads at the
 * reserve, and STORAGE_FULL is never answered from a stale reading. Chunks that need a reading while
 * one is under way wait for that one and each take their bytes off it (a crowd of uploads makes one
 * request per expiry, not one each: on FerretDB, dozens of dbStats at once failed under load); if it
 * fails, all of them fail with it (retryable), and the next chunk asks again. A reading does not see
 * chunks let through but not yet written: near the reserve, the chunks in flight at that moment (at
 * most the replica's window, 16 MiB) may go that far into it.
 */
export class RoomGauge {
  private free = 0;
  private readAt = -Infinity;
  /** A new reading, shared by every chunk that asks before it is back (each then takes its bytes off). */
  private readonly read = sharedCall(async () => {
    const askedAt = performance.now();
    this.free = await this.readFree();
    this.readAt = askedAt;
  });

  constructor(
    private readonly readFree: () => Promise<number>,
    private readonly reserveBytes: number,
    private readonly maxAgeMs: number,
  ) {}

  /** Throws STORAGE_FULL unless `bytes` fit above the reserve; counts them as written. */
  async ensure(bytes: number): Promise<void> {
    const fresh = performance.now() - this.readAt <= this.maxAgeMs;
    if (!fresh || this.free - bytes < this.reserveBytes + ROOM_HEADROOM_BYTES) await this.read();
    if (this.free - bytes < this.reserveBytes) throw storageFull();
    this.free -= bytes;
  }
}
