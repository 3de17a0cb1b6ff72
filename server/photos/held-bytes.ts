import type { ByteRange, MediaFile } from '../store/types';

/** Images this small are held whole: thumbnails and most display images. */
export const HELD_FILE_MAX_BYTES = 512 * 1024;

/**
 * The bytes of small, hot images kept in memory, least recently served out first, within a budget.
 * For a store whose every read is a network round trip (GridFS): a wall, the galleries and every
 * replica's screens ask for the same few hundred images again and again. Keys are content addresses
 * (the bytes under a key never change), so nothing here is ever stale; whether a key may be served
 * at all is MediaCache's decision, made before a file is handed out.
 */
export class HeldBytes {
  private readonly held = new Map<string, Uint8Array>();
  private total = 0;

  constructor(private readonly budgetBytes: number) {}

  /** `file`, served from memory once it has been read whole (files above HELD_FILE_MAX_BYTES pass through). */
  wrap(key: string, file: MediaFile): MediaFile {
    if (this.budgetBytes <= 0 || file.bytes > HELD_FILE_MAX_BYTES || file.bytes > this.budgetBytes) return file;
    return { contentType: file.contentType, bytes: file.bytes, open: (range) => this.open(key, file, range) };
  }

  get heldBytes(): number {
    return this.total;
  }

  private async *open(key: string, file: MediaFile, range?: ByteRange): AsyncIterable<Uint8Array> {
    let bytes = this.held.get(key);
    if (bytes) {
      this.held.delete(key); // most recently served: to the back
      this.held.set(key, bytes);
    } else {
      bytes = await this.readWhole(file);
      this.keep(key, bytes);
    }
    yield range ? bytes.subarray(range.start, range.end + 1) : bytes;
  }

  private async readWhole(file: MediaFile): Promise<Uint8Array> {
    const whole = new Uint8Array(file.bytes);
    let at = 0;
    for await (const piece of file.open()) {
      if (at + piece.byteLength > whole.byteLength) throw new Error(`media file longer than its ${file.bytes} bytes`);
      whole.set(piece, at);
      at += piece.byteLength;
    }
    if (at !== whole.byteLength) throw new Error(`media file shorter than its ${file.bytes} bytes`);
    return whole;
  }

  private keep(key: string, bytes: Uint8Array): void {
    if (this.held.has(key)) return;
    this.held.set(key, bytes);
    this.total += bytes.byteLength;
    for (const [oldest, old] of this.held) {
      if (this.total <= this.budgetBytes) break;
      this.held.delete(oldest);
      this.total -= old.byteLength;
    }
  }
}
