/**
 * Image blobs in a GridFS bucket. GridFS writes chunks first and the files document last, and
 * deletes the files document first: a crash leaves orphans the driver never removes. So every file
 * is written behind an intent (recorded before its first chunk) and a photo that refers to it
 * settles the intent; the sweep deletes only files behind an old intent that no photo refers to.
 * A file the metadata does not mention, but that has no intent, is never touched.
 */
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { GridFSBucket, MongoRuntimeError, ObjectId, type Db } from 'mongodb';
import type { ByteRange, NewBlob, NewFile } from '../types';
import type { Collections, VariantDoc } from './collections';
import { isDuplicateKey } from './mongo-errors';

/** GridFS's own default: an upload's 255 KiB chunk becomes one GridFS chunk. */
export const GRIDFS_CHUNK_BYTES = 255 * 1024;

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/webp': 'webp',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/avif': 'avif',
  'image/heic': 'heic',
  'application/pdf': 'pdf',
};

/** A file written into the bucket behind its intent: its id, content key and size. */
export interface WrittenFile {
  readonly fileId: ObjectId;
  readonly key: string;
  readonly bytes: number;
}

export interface Digest {
  readonly sha256: string;
  readonly bytes: number;
}

/** What goes into one GridFS file: its id, the variant kind (its filename) and its bytes. */
export interface GridFsWrite {
  readonly fileId: ObjectId;
  readonly kind: string;
  readonly contentType: string;
  readonly body: () => AsyncIterable<Uint8Array>;
  /** When given, a body of another length fails before the file is finished. */
  readonly expectedBytes?: number;
}

/** Streams a body into a new GridFS file, hashing and counting it on the way (the hash names the content). */
export async function writeGridFsFile(bucket: GridFSBucket, file: GridFsWrite): Promise<Digest> {
  const hash = createHash('sha256');
  let bytes = 0;
  const counted = async function* () {
    for await (const piece of file.body()) {
      hash.update(piece);
      bytes += piece.byteLength;
      yield piece;
    }
    if (file.expectedBytes !== undefined && bytes !== file.expectedBytes) {
      throw new Error(`the image body held ${bytes} bytes, not ${file.expectedBytes}`);
    }
  };
  await pipeline(counted, bucket.openUploadStreamWithId(file.fileId, file.kind, { metadata: { contentType: file.contentType } }));
  return { sha256: hash.digest('hex'), bytes };
}

export class GridFsBlobs {
  private readonly bucket: GridFSBucket;

  constructor(
    db: Db,
    private readonly c: Collections,
  ) {
    this.bucket = new GridFSBucket(db, { bucketName: 'media', chunkSizeBytes: GRIDFS_CHUNK_BYTES });
  }

  /** Writes the blob into a new GridFS file behind an intent recorded first. */
  async write(blob: NewBlob, startedAt: number): Promise<VariantDoc> {
    const { kind, contentType, width, height } = blob;
    const { fileId, key, bytes } = await this.writeFile(kind, blob, startedAt);
    return { kind, key, contentType, width, height, bytes, fileId };
  }

  /** Any whole file (an image blob, a photo book's PDF) the same way; `kind` names the GridFS file. */
  async writeFile(kind: string, file: NewFile, startedAt: number): Promise<WrittenFile> {
    const fileId = new ObjectId();
    await this.c.intents.insertOne({ _id: fileId, startedAt });
    const { contentType } = file;
    let digest: Digest;
    try {
      digest = await writeGridFsFile(this.bucket, { fileId, kind, contentType, body: file.body, expectedBytes: file.bytes });
    } catch (e) {
      // What was written stays behind its intent; drop it now if we can.
      await this.delete([fileId]).catch(() => undefined);
      throw e;
    }
    return { fileId, key: `${digest.sha256}.${EXTENSIONS[contentType] ?? 'bin'}`, bytes: digest.bytes };
  }

  /** The file's bytes, or an inclusive range of them (GridFS's end is exclusive, HTTP's inclusive). */
  read(fileId: ObjectId, range?: ByteRange): AsyncIterable<Uint8Array> {
    return this.bucket.openDownloadStream(fileId, range ? { start: range.start, end: range.end + 1 } : {});
  }

  /**
   * A file written earlier (a staged source) is about to be referred to: its intent counts from now,
   * so no sweep finishes it meanwhile. False when the sweep already did (the file is gone).
   */
  async renew(fileId: ObjectId, startedAt: number): Promise<boolean> {
    return (await this.c.intents.updateOne({ _id: fileId }, { $max: { startedAt } })).matchedCount === 1;
  }

  /** After the photo that refers to these files is stored: no intent needs to stay open. */
  async settle(fileIds: readonly ObjectId[]): Promise<void> {
    if (fileIds.length > 0) await this.c.intents.deleteMany({ _id: { $in: [...fileIds] } });
  }

  /** Before a write that drops these files from a photo: the sweep finishes them if we crash. */
  async release(fileIds: readonly ObjectId[]): Promise<void> {
    for (const _id of fileIds) {
      // Two writers releasing one file at once (a removal beside the archive job's swap, on two
      // replicas) both upsert its intent: the loser's insert is a duplicate key (FerretDB, and MongoDB
      // itself under a race), and the intent it wanted is there. A removal answered INTERNAL before.
      await this.c.intents.updateOne({ _id }, { $setOnInsert: { startedAt: 0 } }, { upsert: true }).catch((e: unknown) => {
        if (!isDuplicateKey(e)) throw e;
      });
    }
  }

  /** Deletes files no photo or book uses any more (the files document, then its chunks), then their intents. */
  async delete(fileIds: readonly ObjectId[]): Promise<number> {
    let removed = 0;
    for (const id of fileIds) {
      const used =
        (await this.c.photos.findOne({ fileIds: id }, { projection: { _id: 1 } })) ?? (await this.c.books.findOne({ fileId: id }, { projection: { _id: 1 } }));
      if (used) {
        await this.c.intents.deleteOne({ _id: id });
        continue;
      }
      try {
        await this.bucket.delete(id);
        removed++;
      } catch (e) {
        // No files document: a write that died before its end; delete() removed its chunks anyway.
        if (!(e instanceof MongoRuntimeError && /File not found/.test(e.message))) throw e;
      }
      await this.c.intents.deleteOne({ _id: id });
    }
    return removed;
  }

  /** Finishes intents older than `before`; one file that fails does not stop the rest. */
  async sweep(before: number): Promise<{ removed: number; errors: unknown[] }> {
    const stale = await this.c.intents.find({ startedAt: { $lt: before } }).toArray();
    let removed = 0;
    const errors: unknown[] = [];
    for (const intent of stale) {
      try {
        removed += await this.delete([intent._id]);
      } catch (e) {
        errors.push(e);
      }
    }
    return { removed, errors };
  }
}
