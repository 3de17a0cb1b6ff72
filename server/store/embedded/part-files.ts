import path from 'node:path';
import type { Disk } from './disk';
import { readPieces, syncDir } from './files';
import { OpenParts, type OpenPart } from './open-parts';

export interface PartChunk {
  readonly offset: number;
  readonly data: Uint8Array;
}

export interface PartStat {
  readonly size: number;
  readonly mtimeMs: number;
}

const shortWrite = (written: number, wanted: number) =>
  Object.assign(new Error(`short write: ${written} of ${wanted} bytes`), { code: 'ESHORTWRITE' });

/**
 * The bytes of partial uploads, one append-only file per upload. Its size is the received count, so
 * a byte counts as received only once it is written (and, with `sync`, on stable storage). An
 * upload's file stays open between its chunks (OpenParts bounds how many).
 */
export class PartFiles {
  constructor(
    private readonly disk: Disk,
    private readonly dir: string,
    private readonly sync: boolean,
    private readonly open: OpenParts = new OpenParts(),
  ) {}

  /** The upload's part file (its bytes, once written, are what the store counts as received). */
  file(id: string): string {
    return path.join(this.dir, `${id}.part`);
  }

  async stat(id: string): Promise<PartStat | null> {
    const held = this.open.get(id);
    if (held) return { size: held.size, mtimeMs: held.mtimeMs };
    try {
      const { size, mtimeMs } = await this.disk.stat(this.file(id));
      return { size, mtimeMs };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /** Open handles held between chunks (for specs that check descriptors stay bounded). */
  get openCount(): number {
    return this.open.count;
  }

  /** The upload's open handle (opened and measured once), marked busy for the caller's write. */
  private async openPart(id: string): Promise<OpenPart> {
    const held = this.open.get(id);
    if (held) {
      held.busy = true;
      return held;
    }
    const handle = await this.disk.open(this.file(id), 'a+');
    try {
      const { size, mtimeMs } = await handle.stat();
      const part: OpenPart = { handle, size, mtimeMs, usedAt: Date.now(), busy: true };
      await this.open.add(id, part);
      return part;
    } catch (e) {
      await handle.close().catch(() => undefined);
      throw e;
    }
  }

  /**
   * Appends `data` if the file holds exactly `offset` bytes; returns the size afterwards (unchanged
   * when offset did not match). See appendAll.
   */
  async append(id: string, offset: number, data: Uint8Array, beforeWrite: (bytes: number) => Promise<void>): Promise<number> {
    const [size] = await this.appendAll(id, [{ offset, data }], beforeWrite);
    return size!;
  }

  /**
   * Appends, in one write, each chunk that starts exactly at the end so far; returns the size after
   * each chunk's place in the list (unchanged for a chunk whose offset did not match). A failed or
   * short write is cut back to where it started and rethrown: the caller acknowledges nothing of
   * it, and the client resends from there. The handle stays open for the next chunks; the size it
   * counts moves only once the write (and, with `sync`, its fsync) succeeded.
   */
  async appendAll(id: string, chunks: readonly PartChunk[], beforeWrite: (bytes: number) => Promise<void>): Promise<number[]> {
    const part = await this.openPart(id);
    try {
      const start = part.size;
      let end = start;
      const pieces: Uint8Array[] = [];
      const ends = chunks.map(({ offset, data }) => {
        if (offset === end) {
          pieces.push(data);
          end += data.byteLength;
        }
        return end;
      });
      if (pieces.length === 0) return ends;
      await beforeWrite(end - start);
      const { handle } = part;
      try {
        const { bytesWritten } = pieces.length === 1
          ? await handle.write(pieces[0]!, 0, end - start, start)
          : await handle.writev(pieces, start);
        if (bytesWritten !== end - start) throw shortWrite(bytesWritten, end - start);
        if (this.sync) await handle.sync();
        // The first chunk created the file: its directory entry must be durable too, or a power cut
        // could lose acknowledged bytes. Until that succeeds the file counts as empty.
        if (start === 0 && this.sync) await syncDir(this.disk, this.dir);
      } catch (e) {
        // Bytes whose write or fsync failed must never count as received: cut them off, or, if even
        // that fails, drop the file (the guest resends from 0 rather than skip bytes we may not hold).
        // The handle goes too: the next chunk measures the file afresh.
        await handle.truncate(start).catch(() => this.disk.rm(this.file(id), { force: true }).catch(() => undefined));
        await this.open.drop(id);
        throw e;
      }
      part.size = end;
      part.mtimeMs = Date.now();
      return ends;
    } finally {
      part.busy = false;
    }
  }

  /** The file in pieces of at most `pieceBytes`, each in a buffer of its own. */
  read(id: string, pieceBytes: number): AsyncIterable<Uint8Array> {
    return readPieces(this.disk, this.file(id), pieceBytes);
  }

  async head(id: string, maxBytes: number): Promise<Buffer> {
    let handle: Awaited<ReturnType<Disk['open']>>;
    try {
      handle = await this.disk.open(this.file(id), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
      throw e;
    }
    try {
      const buffer = Buffer.alloc(maxBytes);
      const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  /** Unlinking needs no free space, so this frees an upload's bytes even on a full disk. */
  async remove(id: string): Promise<void> {
    await this.open.drop(id);
    await this.disk.rm(this.file(id), { force: true });
  }

  /** Shutdown: every held handle closed. */
  close(): Promise<void> {
    return this.open.closeAll();
  }
}
