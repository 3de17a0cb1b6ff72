import { MIN_CHUNKS_AHEAD, UPLOAD_WINDOW } from '@photobook/shared';

/**
 * Chunks that all the uploads sending to this replica at once may keep in flight together (16 MiB):
 * what the server may have to hold in memory before it is written. One upload alone gets the whole
 * window (a fast LAN needs it); 50 phones at once get 2 each (25 MB in all) rather than 16 (200 MB).
 */
export const IN_FLIGHT_CHUNK_BUDGET = 64;
/** An upload that sent nothing for this long no longer takes a share (a locked phone, a slow link between chunks). */
const ACTIVE_MS = 2_000;

/**
 * The window begin answers (UP3): this upload's share of IN_FLIGHT_CHUNK_BUDGET among the uploads
 * sending now, between MIN_CHUNKS_AHEAD and UPLOAD_WINDOW. Per replica; a phone that moves to
 * another replica begins again there and gets that replica's share.
 */
export class WindowShare {
  private readonly lastSeen = new Map<string, number>();

  /** Wall-clock time, not the service's (specs move that one): this is about memory in flight now. */
  constructor(private readonly now: () => number = Date.now) {}

  /** The upload sent a chunk: it still takes a share. */
  sending(uploadId: string): void {
    this.lastSeen.set(uploadId, this.now());
  }

  /** The upload begins (or resumes): its window, counting itself among those sending. */
  windowFor(uploadId: string): number {
    const now = this.now();
    this.lastSeen.set(uploadId, now);
    for (const [id, at] of this.lastSeen) if (now - at >= ACTIVE_MS) this.lastSeen.delete(id);
    const share = Math.floor(IN_FLIGHT_CHUNK_BUDGET / this.lastSeen.size);
    return Math.max(MIN_CHUNKS_AHEAD, Math.min(UPLOAD_WINDOW, share));
  }

  /** Committed, aborted or deleted: its share goes back at once. */
  done(uploadId: string): void {
    this.lastSeen.delete(uploadId);
  }
}
