import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { NewBlob, NewFile, VariantRecord } from '../types';
import { KeyedQueue } from '../../util/concurrency';
import type { Disk } from './disk';
import { extensionOf, fileSize, isIncoming, isTempOf, readPieces, syncDir, syncFile, writeStream } from './files';

/** Bytes written under incoming/ and hashed, not yet under their content key (see BlobFiles.receive). */
export interface Received {
  readonly incoming: string;
  readonly key: string;
  readonly bytes: number;
}

/**
 * Image blobs under media/, written with an intent: a row in pending_writes is committed before
 * the file is written and removed in the same transaction that makes a photo refer to it. A file
 * is only ever deleted when its intent proves it was written by a photo that never came; a file
 * the database does not mention (a database restored from an older backup, a copied folder) is
 * never touched.
 */
export class BlobFiles {
  /** One blob key at a time: the sweep never deletes a file another photo is writing or reusing. */
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly db: Database.Database,
    private readonly disk: Disk,
    private readonly dir: string,
    private readonly sync: boolean,
  ) {}

  /** Blobs live under their content key's first two letters; bytes still arriving, under incoming/. */
  file(key: string): string {
    return isIncoming(key) ? path.join(this.dir, 'incoming', key) : path.join(this.dir, key.slice(0, 2), key);
  }

  private intend(key: string, startedAt: number): void {
    this.db
      .prepare(
        `INSERT INTO pending_writes (key, started_at) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET started_at = MAX(started_at, excluded.started_at)`,
      )
      .run(key, startedAt);
  }

  /**
   * Streams the body into incoming/ while hashing it (its name is its content, known only at the
   * end), then moves it to its key, or drops it for an identical file already there. Each file is
   * behind an intent from before its first byte until a photo refers to it.
   */
  async write(blob: NewBlob, startedAt: number): Promise<VariantRecord> {
    const { key, bytes } = await this.writeFile(blob, startedAt);
    const { kind, contentType, width, height } = blob;
    return { kind, key, contentType, width, height, bytes };
  }

  /** Any whole file (an image blob, a photo book's PDF), the same way: behind an intent, named by its content. */
  async writeFile(blob: NewFile, startedAt: number): Promise<{ key: string; bytes: number }> {
    return this.placeReceived(await this.receive(blob, startedAt), startedAt);
  }

  /** Writes the bytes under incoming/, behind an intent of their own, hashing them on the way. */
  async receive(blob: NewFile, startedAt: number): Promise<Received> {
    const incoming = `incoming-${randomBytes(8).toString('hex')}.tmp`;
    this.intend(incoming, startedAt);
    const incomingFile = this.file(incoming);
    await this.disk.mkdir(path.dirname(incomingFile), { recursive: true });
    try {
      const written = await writeStream(this.disk, incomingFile, blob.body(), this.sync);
      if (written.bytes !== blob.bytes) throw new Error(`the image body held ${written.bytes} bytes, not ${blob.bytes}`);
      return { incoming, key: `${written.sha256}.${extensionOf(blob.contentType)}`, bytes: written.bytes };
    } catch (e) {
      // A retried commit must not pile partial copies onto a full disk: gone now, not at the sweep.
      await this.drop({ incoming }).catch(() => undefined);
      throw e;
    }
  }

  /** Moves received bytes to their content key (behind the key's intent), or drops them for an identical file. */
  placeReceived({ incoming, key, bytes }: Received, startedAt: number): Promise<{ key: string; bytes: number }> {
    return this.queue.run(key, () => this.place(key, incoming, bytes, startedAt)).catch(async (e: unknown) => {
      // Best effort: what stays behind is under its intent, for the sweep.
      await this.drop({ incoming }).catch(() => undefined);
      throw e;
    });
  }

  /** Received bytes no photo took: removed now, with their intent (which no other write shares). */
  async drop({ incoming }: Pick<Received, 'incoming'>): Promise<void> {
    await this.disk.rm(this.file(incoming), { force: true });
    this.settle([incoming]);
  }

  /** In the key's queue: moves the received file to its content key, or drops it for an identical one. */
  private async place(key: string, incoming: string, bytes: number, startedAt: number): Promise<{ key: string; bytes: number }> {
    this.intend(key, startedAt);
    const file = this.file(key);
    if ((await fileSize(this.disk, file)) === bytes) {
      await this.disk.rm(this.file(incoming), { force: true });
      // Reused (maybe left by an attempt whose sync failed): make it durable before a photo refers to it.
      if (this.sync) await syncFile(this.disk, file);
    } else {
      const created = await this.disk.mkdir(path.dirname(file), { recursive: true });
      if (created !== undefined && this.sync) await syncDir(this.disk, this.dir);
      await this.disk.rename(this.file(incoming), file);
    }
    if (this.sync) await syncDir(this.disk, path.dirname(file));
    this.settle([incoming]);
    return { key, bytes };
  }

  /** A stored blob's bytes in pieces (nothing if its file is gone). */
  read(key: string, pieceBytes: number): AsyncIterable<Uint8Array> {
    return readPieces(this.disk, this.file(key), pieceBytes);
  }

  /** Inside the photo's transaction: these blobs are referenced now, so no intent stays open. */
  settle(keys: readonly string[]): void {
    const done = this.db.prepare('DELETE FROM pending_writes WHERE key = ?');
    for (const key of keys) done.run(key);
  }

  /** Inside a removal's transaction: these files lost their last photo; an intent marks them for deletion. */
  release(keys: readonly string[]): void {
    // started_at 0, unless a photo is writing the same bytes right now (its newer intent stays).
    const mark = this.db.prepare('INSERT INTO pending_writes (key, started_at) VALUES (?, 0) ON CONFLICT (key) DO NOTHING');
    for (const key of keys) mark.run(key);
  }

  /** After the removal committed: deletes the released files now (a photo reusing them meanwhile keeps them). */
  async deleteReleased(keys: readonly string[]): Promise<void> {
    // One file that cannot go now keeps its intent for the sweep; the others still go.
    for (const key of keys) await this.queue.run(key, () => this.finish(key, 1)).catch(() => undefined);
  }

  /**
   * Finishes intents older than `before`: a blob some photo refers to stays, one none does is
   * deleted with any temp file of its write. One failing file does not stop the rest; returns how
   * many files were removed and the errors met.
   */
  async sweep(before: number): Promise<{ removed: number; errors: unknown[] }> {
    const stale = this.db
      .prepare<[number], { key: string }>('SELECT key FROM pending_writes WHERE started_at < ?')
      .all(before);
    let removed = 0;
    const errors: unknown[] = [];
    for (const { key } of stale) {
      try {
        removed += await this.queue.run(key, () => this.finish(key, before));
      } catch (e) {
        errors.push(e);
      }
    }
    return { removed, errors };
  }

  private async finish(key: string, before: number): Promise<number> {
    // Checked again inside the key's queue: a photo may have reused or settled it meanwhile.
    const intent = this.db.prepare<[string], { started_at: number }>('SELECT started_at FROM pending_writes WHERE key = ?').get(key);
    if (!intent || intent.started_at >= before) return 0;
    const referenced =
      this.db.prepare('SELECT 1 FROM variants WHERE key = ? UNION ALL SELECT 1 FROM books WHERE file_key = ? LIMIT 1').get(key, key) !== undefined;
    const file = this.file(key);
    const siblings = await this.disk.readdir(path.dirname(file)).catch(() => [] as string[]);
    const doomed = [...siblings.filter((name) => isTempOf(name, key)), ...(referenced ? [] : [key])];
    let removed = 0;
    for (const name of doomed) {
      const target = path.join(path.dirname(file), name);
      if ((await fileSize(this.disk, target)) === null) continue;
      await this.disk.rm(target, { force: true });
      removed++;
    }
    this.db.prepare('DELETE FROM pending_writes WHERE key = ?').run(key);
    return removed;
  }
}
