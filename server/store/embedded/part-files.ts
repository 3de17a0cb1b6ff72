import path from 'node:path';
import type { Disk } from './disk';
import { readPieces, syncDir } from './files';

export interface PartStat {
  readonly size: number;
  readonly mtimeMs: number;
}

const shortWrite = (written: number, wanted: number) =>
  Object.assign(new Error(`short write: ${written} of ${wanted} bytes`), { code: 'ESHORTWRITE' });

/**
 * The bytes of partial uploads, one append-only file per upload. Its size is the received count, so
 * a byte counts as received only once it is written (and, with `sync`, on stable storage).
 */
export class PartFiles {
  constructor(
    private readonly disk: Disk,
    private readonly dir: string,
    private readonly sync: boolean,
  ) {}

  private file(id: string): string {
    return path.join(this.dir, `${id}.part`);
  }

  async stat(id: string): Promise<PartStat | null> {
    try {
      const { size, mtimeMs } = await this.disk.stat(this.file(id));
      return { size, mtimeMs };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  /**
   * Appends `data` if the file holds exactly `offset` bytes; returns the size afterwards (unchanged
   * when offset did not match). A failed or short write is cut back to `offset` and rethrown: the
   * caller acknowledges nothing for it, and the client resends from there.
   */
  async append(id: string, offset: number, data: Uint8Array, beforeWrite: () => Promise<void>): Promise<number> {
    const handle = await this.disk.open(this.file(id), 'a+');
    try {
      const { size } = await handle.stat();
      if (size !== offset) return size;
      await beforeWrite();
      try {
        const { bytesWritten } = await handle.write(data, 0, data.byteLength, offset);
        if (bytesWritten !== data.byteLength) throw shortWrite(bytesWritten, data.byteLength);
        if (this.sync) await handle.sync();
        // The first chunk created the file: its directory entry must be durable too, or a power cut
        // could lose acknowledged bytes. Until that succeeds the file counts as empty.
        if (offset === 0 && this.sync) await syncDir(this.disk, this.dir);
      } catch (e) {
        // Bytes whose write or fsync failed must never count as received: cut them off, or, if even
        // that fails, drop the file (the guest resends from 0 rather than skip bytes we may not hold).
        await handle.truncate(offset).catch(() => this.disk.rm(this.file(id), { force: true }).catch(() => undefined));
        throw e;
      }
    } finally {
      await handle.close();
    }
    return offset + data.byteLength;
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
  remove(id: string): Promise<void> {
    return this.disk.rm(this.file(id), { force: true });
  }
}
