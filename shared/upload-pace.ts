/**
 * How many chunks of one upload a client keeps in flight: enough to cover about half a second at
 * the rate its acks arrive, between MIN_CHUNKS_AHEAD and the window the server allows. On a LAN that
 * is the whole window (the disk and the acks overlap); on party Wi-Fi it is 2 chunks, so a preview
 * picked meanwhile waits behind half a megabyte of an original, not the window's 4 MiB (a WebSocket
 * cannot take back what it queued). Until the first ack it sends INITIAL_CHUNKS_AHEAD.
 */
export const INITIAL_CHUNKS_AHEAD = 4;
export const MIN_CHUNKS_AHEAD = 2;
/** Time worth of bytes kept in flight. */
export const IN_FLIGHT_TARGET_MS = 500;
/** Only the last seconds count: a phone walking away from the router slows down. */
const HORIZON_MS = 2000;

export class UploadPace {
  /** (time, confirmed offset): the start of sending, then each ack. */
  private readonly samples: Array<{ readonly at: number; readonly offset: number }>;

  constructor(
    /** The server's window (begin's `window`), already clamped by the client. */
    private readonly window: number,
    private readonly chunkSize: number,
    /** Where sending starts, and when (ms on any monotonic clock, the same as `acked`'s). */
    offset: number,
    at: number,
  ) {
    this.samples = [{ at, offset }];
  }

  /** An ack moved the confirmed offset to `offset` at `at`. */
  acked(offset: number, at: number): void {
    this.samples.push({ at, offset });
    while (this.samples.length > 2 && at - this.samples[1]!.at >= HORIZON_MS) this.samples.shift();
  }

  /** Chunks to keep in flight now. The rate counts from the first send, so the ack's trip slows it: it errs small. */
  chunksAhead(): number {
    const cap = Math.max(1, this.window);
    const first = this.samples[0]!;
    const last = this.samples.at(-1)!;
    if (last === first) return Math.min(INITIAL_CHUNKS_AHEAD, cap);
    const bytesPerMs = Math.max(0, last.offset - first.offset) / Math.max(1, last.at - first.at);
    const wanted = Math.ceil((bytesPerMs * IN_FLIGHT_TARGET_MS) / this.chunkSize);
    return Math.min(cap, Math.max(MIN_CHUNKS_AHEAD, wanted));
  }
}
