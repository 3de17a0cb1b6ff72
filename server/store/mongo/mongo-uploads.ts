/**
 * The MongoDB store's ground floor: the error wrapper, room checks and partial uploads. An upload's
 * record lists its accepted parts; each part's bytes are a document of their own, read by _id
 * only. An append names its part in the record first (pending), writes it, then moves the count
 * with a compare-and-set that also accepts the part: of two appends at the same offset (a phone
 * that moved to another replica) exactly one counts, and whatever a failed one wrote is listed, so
 * deleting the upload deletes it too.
 */
import { randomBytes } from 'node:crypto';
import { Binary, type Db } from 'mongodb';
import { ErrorCode } from '@photobook/shared';
import { AppError } from '../../errors';
import { KeyedQueue, sharedCall } from '../../util/concurrency';
import { PIECE_BYTES } from '../blob-body';
import { RoomGauge } from '../room-gauge';
import { storageFull } from '../storage-errors';
import type { NewUpload, StaleUploadQuery, StorageStatus, UploadFile, UploadRecord } from '../types';
import { tempCopy } from '../temp-copy';
import type { Collections, UploadDoc } from './collections';
import { mongoError } from './mongo-errors';

/**
 * A dbStats reading is trusted this long: by storage() from when it came back, and for chunks from
 * when it was asked for, only far above the reserve (RoomGauge).
 */
const ROOM_CHECK_MS = 1_000;

/** Parts deleted per command: one $in on _id (FerretDB v1 scans the collection once per delete command). */
const DELETE_BATCH = 500;

/** Uploads begun before addresses were kept have no addressKey field: null, like an unknown one. */
function uploadRecord(doc: UploadDoc): UploadRecord {
  const { _id, parts: _parts, pending: _pending, ...rest } = doc;
  return { id: _id, ...rest, addressKey: rest.addressKey ?? null };
}

export interface MongoStoreOptions {
  /** Free bytes kept on the database server's disk (where it reports its disk): uploads stop above it. */
  readonly reserveBytes: number;
}

export abstract class MongoUploads {
  /** For chunks: bytes taken off a reading, every chunk reading afresh near the reserve. */
  private readonly room: RoomGauge;
  /** storage()'s reading: shared while under way, and kept a second after it came back. */
  private readonly stats = sharedCall(() => this.readStorage(), ROOM_CHECK_MS);
  /** This process's appends to one upload run in arrival order (other replicas are settled by the count). */
  private readonly uploadQueue = new KeyedQueue();

  protected constructor(
    protected readonly db: Db,
    protected readonly c: Collections,
    protected readonly options: MongoStoreOptions,
  ) {
    // Disk sizes unknown (FerretDB): only the server's own out-of-disk errors stop uploads.
    this.room = new RoomGauge(async () => (await this.readStorage()).freeBytes ?? Infinity, options.reserveBytes, ROOM_CHECK_MS);
  }

  /** Runs a database call, translating driver errors into the app's (nothing from the driver leaks). */
  protected async op<T>(doing: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      throw mongoError(e, doing);
    }
  }

  /** A write failed: below the reserve that is STORAGE_FULL, whatever the driver said; else as mongoError maps it. */
  protected async writeError(e: unknown, doing: string): Promise<AppError> {
    const error = mongoError(e, doing);
    if (error.code === ErrorCode.StorageFull) return error;
    // Afresh: the disk may have filled since the last reading.
    const full = await this.readStorage().then((s) => s.full, () => false);
    return full ? new AppError(ErrorCode.StorageFull, error.message) : error;
  }

  /**
   * A ping that answers in time through an election or an outage. timeoutMS alone does not do it:
   * once the driver's monitor has marked the server unknown, server selection waits out
   * serverSelectionTimeoutMS (30 s, measured with driver 7.9); the signal ends it at timeoutMs.
   */
  async ping(timeoutMs: number): Promise<void> {
    await this.db.command({ ping: 1 }, { timeoutMS: timeoutMs, signal: AbortSignal.timeout(timeoutMs) });
  }

  /**
   * The database server's disk, from dbStats' fsUsedSize and fsTotalSize (mongod reports them;
   * FerretDB does not, and then only the server's own out-of-disk errors say STORAGE_FULL).
   */
  storage(): Promise<StorageStatus> {
    return this.stats();
  }

  private async readStorage(): Promise<StorageStatus> {
    const stats = await this.op('check its free space', () => this.db.command({ dbStats: 1, scale: 1 }));
    const used = Number(stats['fsUsedSize']);
    const total = Number(stats['fsTotalSize']);
    const freeBytes = total > 0 && used >= 0 ? total - used : null;
    return { freeBytes, reserveBytes: this.options.reserveBytes, full: freeBytes !== null && freeBytes < this.options.reserveBytes };
  }

  /** For a request that writes nothing yet (a begin, a resume): `bytes` must fit above the reserve. */
  async ensureRoom(bytes: number): Promise<void> {
    const { freeBytes, reserveBytes } = await this.storage();
    if (freeBytes !== null && freeBytes - bytes < reserveBytes) throw storageFull();
  }

  async beginUpload(upload: NewUpload): Promise<UploadRecord> {
    const doc: UploadDoc = { _id: upload.id, ...upload, addressKey: upload.addressKey ?? null, updatedAt: upload.createdAt, received: 0, parts: [], pending: [] };
    // An upsert that only inserts: the same owner and client id get the existing upload back.
    await this.op('record the upload', () =>
      this.c.uploads.updateOne({ ownerId: upload.ownerId, clientUploadId: upload.clientUploadId }, { $setOnInsert: doc }, { upsert: true }),
    ).catch(async (e: unknown) => {
      // Two begins racing on the unique index: the other one's upload is the answer.
      if (!(await this.findUpload(upload.ownerId, upload.clientUploadId))) throw e;
    });
    const found = await this.findUpload(upload.ownerId, upload.clientUploadId);
    if (!found) throw new AppError(ErrorCode.Internal, 'The upload could not be recorded.');
    return found;
  }

  async getUpload(id: string): Promise<UploadRecord | null> {
    const doc = await this.op('read the upload', () => this.c.uploads.findOne({ _id: id }));
    return doc ? uploadRecord(doc) : null;
  }

  async findUpload(ownerId: string, clientUploadId: string): Promise<UploadRecord | null> {
    const doc = await this.op('read the upload', () => this.c.uploads.findOne({ ownerId, clientUploadId }));
    return doc ? uploadRecord(doc) : null;
  }

  async relabelUpload(id: string, text: { readonly caption: string; readonly author: string }): Promise<void> {
    await this.op('save the caption', () => this.c.uploads.updateOne({ _id: id }, { $set: { caption: text.caption, author: text.author } }));
  }

  async touchUpload(id: string, at: number): Promise<void> {
    await this.op('keep the upload', () => this.c.uploads.updateOne({ _id: id }, { $max: { updatedAt: at } }));
  }

  private async allUploads(): Promise<UploadDoc[]> {
    return this.op('list the uploads', () => this.c.uploads.find({}, { projection: { parts: 0, pending: 0 } }).toArray());
  }

  async outstandingBytes(): Promise<number> {
    return (await this.allUploads()).reduce((sum, u) => sum + Math.max(0, u.size - u.received), 0);
  }

  /** One address's by equality on a string (never null: that would also match documents without the field). */
  async reservedUploadBytes(addressKey?: string): Promise<number> {
    const filter = addressKey === undefined ? {} : { addressKey };
    const sizes = await this.op('list the uploads', () => this.c.uploads.find(filter, { projection: { _id: 0, size: 1 } }).toArray());
    return sizes.reduce((sum, u) => sum + u.size, 0);
  }

  async countUploads(ownerId: string): Promise<number> {
    return this.op('count the uploads', () => this.c.uploads.countDocuments({ ownerId }));
  }

  async appendUpload(id: string, offset: number, data: Uint8Array): Promise<number> {
    const part = `${id}:${offset}:${randomBytes(6).toString('base64url')}`;
    const { c } = this;
    return this.uploadQueue.run(id, () => this.op('save the chunk', async () => {
      await this.room.ensure(data.byteLength);
      const upload = await c.uploads.findOneAndUpdate({ _id: id }, { $push: { pending: part } });
      if (!upload) throw new AppError(ErrorCode.UploadNotFound, 'This upload does not exist (any more).');
      if (upload.received === offset) {
        await c.parts.insertOne({ _id: part, data: new Binary(data) });
        const moved = await c.uploads.findOneAndUpdate(
          { _id: id, received: offset },
          {
            $set: { received: offset + data.byteLength },
            // Never back: a touch (or the start) may already say later (a clock of the service's).
            $max: { updatedAt: Date.now() },
            $push: { parts: { offset, length: data.byteLength, id: part } },
            $pull: { pending: part },
          },
          { returnDocument: 'after' },
        );
        if (moved) return moved.received;
        await c.parts.deleteOne({ _id: part });
      }
      // Not at the end (or another append won this offset): nothing of ours counts.
      const now = await c.uploads.findOneAndUpdate({ _id: id }, { $pull: { pending: part } }, { returnDocument: 'after' });
      if (!now) throw new AppError(ErrorCode.UploadNotFound, 'This upload does not exist (any more).');
      return now.received;
    }));
  }

  async *readUpload(id: string): AsyncIterable<Uint8Array> {
    const upload = await this.op('read the upload', () => this.c.uploads.findOne({ _id: id }, { projection: { parts: 1 } }));
    let position = 0;
    for (const { offset, length, id: partId } of upload?.parts ?? []) {
      // A part already covered is skipped: a server whose updates are not atomic (FerretDB v1)
      // can accept two appends at one offset; they hold the same bytes of the same file.
      if (offset + length <= position) continue;
      const part = await this.op('read the upload', () => this.c.parts.findOne({ _id: partId }));
      if (!part || offset > position) throw new AppError(ErrorCode.Internal, 'A part of the upload is missing; please send it again.');
      const bytes = part.data.buffer.subarray(position - offset);
      for (let at = 0; at < bytes.byteLength; at += PIECE_BYTES) yield bytes.subarray(at, Math.min(at + PIECE_BYTES, bytes.byteLength));
      position = offset + length;
    }
  }

  async readUploadHead(id: string, maxBytes: number): Promise<Uint8Array> {
    const pieces: Uint8Array[] = [];
    let held = 0;
    for await (const piece of this.readUpload(id)) {
      const taken = piece.subarray(0, maxBytes - held);
      pieces.push(taken);
      held += taken.byteLength;
      if (held >= maxBytes) break;
    }
    return Buffer.concat(pieces);
  }

  /** GridFS and the parts collection have no local file: a temporary copy, removed by release(). */
  uploadFile(id: string): Promise<UploadFile> {
    return tempCopy(this.readUpload(id));
  }

  async deleteUpload(id: string): Promise<void> {
    const upload = await this.op('read the upload', () => this.c.uploads.findOne({ _id: id }, { projection: { parts: 1, pending: 1 } }));
    if (!upload) return;
    // Bytes first, so space comes back even when the record cannot be written.
    const ids = [...(upload.parts ?? []).map((p) => p.id), ...(upload.pending ?? [])];
    await this.op('delete the upload', async () => {
      for (let at = 0; at < ids.length; at += DELETE_BATCH) await this.c.parts.deleteMany({ _id: { $in: ids.slice(at, at + DELETE_BATCH) } });
      await this.c.uploads.deleteOne({ _id: id });
    });
  }

  async listStaleUploads(query: StaleUploadQuery): Promise<readonly UploadRecord[]> {
    const docs = await this.op('list the uploads', () =>
      this.c.uploads
        .find({ $or: [{ updatedAt: { $lt: query.idleBefore } }, { createdAt: { $lt: query.createdBefore } }] }, { projection: { parts: 0, pending: 0 } })
        .toArray(),
    );
    return docs.map((d) => uploadRecord({ ...d, parts: [], pending: [] }));
  }
}
