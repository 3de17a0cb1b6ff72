/**
 * GridFS files for `npm run migrate`: each variant's file under an id derived from (photo id, kind),
 * so a re-run finds what an interrupted run wrote instead of writing it twice; and every file's
 * SHA-256 read back for the verification.
 */
import { createHash, type Hash } from 'node:crypto';
import { GridFSBucket, MongoRuntimeError, ObjectId, type Binary, type Db, type GridFSFile } from 'mongodb';
import type { VariantKind, VariantRecord } from '../types';
import type { Collections, VariantDoc } from './collections';
import { GRIDFS_CHUNK_BYTES, writeGridFsFile, type Digest } from './gridfs-blobs';
import { isDuplicateKey } from './mongo-errors';

export type { Digest } from './gridfs-blobs';

/** The same file id on every run for the same variant. */
export function migratedFileId(photoId: string, kind: VariantKind): ObjectId {
  return new ObjectId(createHash('sha256').update(`migrated:${photoId}:${kind}`).digest().subarray(0, 12));
}

export class MigratedFiles {
  private readonly bucket: GridFSBucket;

  constructor(
    private readonly db: Db,
    private readonly c: Collections,
  ) {
    this.bucket = new GridFSBucket(db, { bucketName: 'media', chunkSizeBytes: GRIDFS_CHUNK_BYTES });
  }

  /**
   * Writes the variant's file behind a fresh intent (the server's sweep leaves recent ones alone),
   * unless a complete one is there (GridFS writes the files document last). The bytes must have the
   * size and the hash the key names.
   */
  async write(photoId: string, v: VariantRecord & { readonly body: () => AsyncIterable<Uint8Array> }): Promise<VariantDoc> {
    const fileId = migratedFileId(photoId, v.kind);
    const { kind, key, contentType, width, height, bytes } = v;
    await this.c.intents.updateOne({ _id: fileId }, { $set: { startedAt: Date.now() } }, { upsert: true });
    const existing = await this.bucket.find({ _id: fileId }).next();
    if (existing?.length !== bytes) {
      if (existing) await this.drop(fileId);
      const written = await this.upload(fileId, v).catch(async (e: unknown) => {
        // Chunks of a write that died before its files document: clear them and write again.
        if (!isDuplicateKey(e)) throw e;
        await this.drop(fileId);
        return this.upload(fileId, v);
      });
      if (written.bytes !== bytes || !key.startsWith(`${written.sha256}.`)) {
        await this.drop(fileId);
        throw new Error(`its ${kind} file held ${written.bytes} bytes with SHA-256 ${written.sha256.slice(0, 12)}…, not the ${bytes} bytes its key ${key} names`);
      }
    }
    return { kind, key, contentType, width, height, bytes, fileId };
  }

  /** Streams the body into the file, hashing it on the way; a failed write leaves nothing behind. */
  private async upload(fileId: ObjectId, v: VariantRecord & { readonly body: () => AsyncIterable<Uint8Array> }): Promise<Digest> {
    try {
      return await writeGridFsFile(this.bucket, { fileId, kind: v.kind, contentType: v.contentType, body: v.body });
    } catch (e) {
      if (!isDuplicateKey(e)) await this.drop(fileId).catch(() => undefined);
      throw e;
    }
  }

  /** Removes the file's document and chunks; no document (a write that died) is no error. */
  private async drop(fileId: ObjectId): Promise<void> {
    try {
      await this.bucket.delete(fileId);
    } catch (e) {
      if (!(e instanceof MongoRuntimeError && /File not found/.test(e.message))) throw e;
    }
  }

  async settle(fileIds: readonly ObjectId[]): Promise<void> {
    if (fileIds.length > 0) await this.c.intents.deleteMany({ _id: { $in: [...fileIds] } });
  }

  async count(): Promise<number> {
    return this.db.collection('media.files').countDocuments({});
  }

  /**
   * The SHA-256 of each file (or why it has none), from one pass over all chunks. The driver's
   * download finds a file's chunks by files_id, which FerretDB answers by scanning every chunk: a
   * read per file would scan them all once per file. Chunks come in the order written, so a file's
   * next chunk is nearly always the one that comes; one that comes early waits in memory.
   */
  async digests(fileIds: readonly ObjectId[]): Promise<Map<string, Digest | string>> {
    const files = new Map((await this.db.collection<GridFSFile>('media.files').find({}).toArray()).map((f) => [String(f._id), f.length]));
    const progress = new Map<string, { hash: Hash; next: number; bytes: number; early: Map<number, Uint8Array> }>();
    for (const id of fileIds) progress.set(String(id), { hash: createHash('sha256'), next: 0, bytes: 0, early: new Map() });
    for await (const chunk of this.db.collection<{ files_id: ObjectId; n: number; data: Binary }>('media.chunks').find({})) {
      const file = progress.get(String(chunk.files_id));
      if (!file) continue;
      file.early.set(chunk.n, chunk.data.value());
      for (let piece = file.early.get(file.next); piece; piece = file.early.get(file.next)) {
        file.hash.update(piece);
        file.bytes += piece.byteLength;
        file.early.delete(file.next++);
      }
    }
    const result = new Map<string, Digest | string>();
    for (const [id, file] of progress) {
      const length = files.get(id);
      if (length === undefined) result.set(id, 'missing (no GridFS file)');
      else if (file.early.size > 0 || file.bytes !== length) result.set(id, `incomplete (${file.bytes} of ${length} bytes in order)`);
      else result.set(id, { sha256: file.hash.digest('hex'), bytes: file.bytes });
    }
    return result;
  }
}
