import { storageFull } from '../storage-errors';

/** Room beyond the reserve below which every chunk asks the disk (more than it fills in a second). */
export const ROOM_HEADROOM_BYTES = 1024 * 1024 * 1024;

/**
 * Free room for chunks without a statfs per chunk: a reading of the disk's free bytes is trusted
 * for `maxAgeMs`, less what was written since, but only while that leaves more than
 * ROOM_HEADROOM_BYTES above the reserve. Near the reserve every chunk asks the disk again, so
 * another program filling the disk still stops uploads at the reserve, and STORAGE_FULL is never
 * answered from a stale reading.
 */
export class RoomGauge {
  private free = 0;
  private readAt = -Infinity;

  constructor(
    private readonly readFree: () => Promise<number>,
    private readonly reserveBytes: number,
    private readonly maxAgeMs: number,
  ) {}

  /** Throws STORAGE_FULL unless `bytes` fit above the reserve; counts them as written. */
  async ensure(bytes: number): Promise<void> {
    const fresh = performance.now() - this.readAt <= this.maxAgeMs;
    if (!fresh || this.free - bytes < this.reserveBytes + ROOM_HEADROOM_BYTES) {
      this.free = await this.readFree();
      this.readAt = performance.now();
    }
    if (this.free - bytes < this.reserveBytes) throw storageFull();
    this.free -= bytes;
  }
}
