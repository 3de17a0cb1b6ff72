/**
 * The MongoDB side of `npm run migrate`: writes a laptop event into the collections MongoStore uses,
 * every write idempotent, and reads it all back for the tool's verification. A photo is stored as
 * the store stores one: its GridFS files first (each behind an intent), then its document in one
 * insert, shaped by photoDoc(). File ids are derived from (photo id, kind), so a re-run finds what
 * an interrupted run wrote instead of writing it twice.
 */
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { GridFSBucket, MongoRuntimeError, ObjectId, type Db, type MongoClient } from 'mongodb';
import { SETTINGS_PATH, type HostSettings, type PhotoRecord, type VariantKind, type VariantRecord } from '../types';
import { collectionsOf, ensureIndexes, type Collections, type PhotoDoc, type VariantDoc } from './collections';
import { GRIDFS_CHUNK_BYTES } from './gridfs-blobs';
import { importGuest } from './guest-docs';
import * as meta from './meta-docs';
import { mongoClient } from './mongo-store';
import { isDuplicateKey } from './mongo-errors';
import { setRecoveryCode } from './owner-docs';
import { photoDoc } from './photo-changes';
import { SeqTickets } from './seq-tickets';

export interface ImportVariant extends VariantRecord {
  readonly body: () => AsyncIterable<Uint8Array>;
}

export interface ImportJob {
  readonly dueAt: number;
  readonly attempts: number;
  readonly lastError: string | null;
}

/** A photo as the laptop holds it (tombstones included); its archive job comes along while a source waits. */
export interface ImportPhoto extends Omit<PhotoRecord, 'guest' | 'variants'> {
  readonly variants: readonly ImportVariant[];
  readonly archiveJob: ImportJob | null;
}

export type PhotoOutcome = { readonly kind: 'copied' | 'already there' } | { readonly kind: 'differs'; readonly why: string };

export interface Digest {
  readonly sha256: string;
  readonly bytes: number;
}

export interface StoredVariant extends VariantRecord {
  /** Reads the GridFS file the photo document names and hashes it. */
  readonly digest: () => Promise<Digest>;
}

export interface StoredPhoto extends Omit<ImportPhoto, 'variants'> {
  readonly variants: readonly StoredVariant[];
}

/** Everything the migration wrote, as MongoDB holds it now. */
export interface StoredEvent {
  readonly photos: readonly StoredPhoto[];
  readonly guests: readonly { readonly ownerId: string; readonly number: number }[];
  readonly blocks: readonly string[];
  readonly codes: readonly { readonly ownerId: string; readonly codeHash: string; readonly createdAt: number }[];
  readonly links: readonly { readonly browserKey: string; readonly ownerId: string }[];
  readonly settings: HostSettings;
  readonly adminHash: string | null;
  readonly cookieSecret: string | null;
  readonly gridFsFiles: number;
}

/** As MongoStore.open: the driver says "test" when the URI names no database; ours is photobook then. */
const DEFAULT_DATABASE = 'photobook';

/** The same file id on every run for the same variant, so a re-run never writes a second copy. */
export function migratedFileId(photoId: string, kind: VariantKind): ObjectId {
  return new ObjectId(createHash('sha256').update(`migrated:${photoId}:${kind}`).digest().subarray(0, 12));
}

export class EventImport {
  private readonly bucket: GridFSBucket;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly c: Collections,
  ) {
    this.bucket = new GridFSBucket(db, { bucketName: 'media', chunkSizeBytes: GRIDFS_CHUNK_BYTES });
  }

  /** Connects and creates the store's indexes (the unique ones guard the imports too). */
  static async open(uri: string, database: string | null): Promise<EventImport> {
    const client = mongoClient(uri, 'photobook-migrate');
    try {
      await client.connect();
      const db = client.db(database ?? (client.options.dbName === 'test' ? DEFAULT_DATABASE : undefined));
      const c = collectionsOf(db);
      await ensureIndexes(c);
      return new EventImport(client, db, c);
    } catch (e) {
      await client.close().catch(() => undefined);
      throw e;
    }
  }

  get databaseName(): string {
    return this.db.databaseName;
  }

  /** Stores the laptop's cookie secret unless one is there; false when a different one is (not our event). */
  async adoptCookieSecret(secret: string): Promise<boolean> {
    return (await meta.sharedSecret(this.c, 'cookie', () => secret)) === secret;
  }

  /** Photos in MongoDB that are not the laptop's: another event, which the migration must not mix with. */
  async foreignPhotos(ids: ReadonlySet<string>): Promise<number> {
    const held = await this.c.photos.find({}, { projection: { _id: 1 } }).toArray();
    return held.filter((p) => !ids.has(p._id)).length;
  }

  /** Copies one photo, or compares it with the one a previous run stored. */
  async importPhoto(photo: ImportPhoto): Promise<PhotoOutcome> {
    const existing = await this.c.photos.findOne({ _id: photo.id });
    if (existing) return this.compared(existing, photo);
    const variants: VariantDoc[] = [];
    for (const v of photo.variants) variants.push(await this.writeFile(photo.id, v));
    try {
      await this.c.photos.insertOne(migratedDoc(photo, variants));
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const raced = await this.c.photos.findOne({ _id: photo.id });
      if (raced) return this.compared(raced, photo);
      // Our files stay behind their intents: the server's sweep removes them, as no photo uses them.
      return { kind: 'differs', why: `MongoDB holds another photo for the same guest and upload (${photo.clientUploadId})` };
    }
    await this.settle(variants.map((v) => v.fileId));
    return { kind: 'copied' };
  }

  private async compared(doc: PhotoDoc, photo: ImportPhoto): Promise<PhotoOutcome> {
    const why = whatDiffers(this.storedPhoto(doc), photo);
    if (why) return { kind: 'differs', why };
    // A run that stopped between the insert and the settle left intents open: close them.
    await this.settle(doc.fileIds);
    return { kind: 'already there' };
  }

  /**
   * One variant's GridFS file under its derived id, behind a fresh intent (the server's sweep leaves
   * recent ones alone). A complete file from an interrupted run is kept (GridFS writes the files
   * document last); a partial one is replaced. The bytes must match the size and the key's hash.
   */
  private async writeFile(photoId: string, v: ImportVariant): Promise<VariantDoc> {
    const fileId = migratedFileId(photoId, v.kind);
    const { kind, key, contentType, width, height, bytes } = v;
    await this.c.intents.updateOne({ _id: fileId }, { $set: { startedAt: Date.now() } }, { upsert: true });
    const existing = await this.bucket.find({ _id: fileId }).next();
    if (existing?.length !== bytes) {
      // Chunks of a write that died (no files document), or a file of the wrong size.
      await this.dropFile(fileId);
      const written = await this.upload(fileId, v);
      if (written.bytes !== bytes || !key.startsWith(`${written.sha256}.`)) {
        await this.dropFile(fileId);
        throw new Error(`the ${kind} file held ${written.bytes} bytes with SHA-256 ${written.sha256.slice(0, 12)}…, not the ${bytes} bytes its key ${key} names`);
      }
    }
    return { kind, key, contentType, width, height, bytes, fileId };
  }

  private async upload(fileId: ObjectId, v: ImportVariant): Promise<Digest> {
    const hash = createHash('sha256');
    let bytes = 0;
    const counted = async function* () {
      for await (const piece of v.body()) {
        hash.update(piece);
        bytes += piece.byteLength;
        yield piece;
      }
    };
    try {
      await pipeline(counted, this.bucket.openUploadStreamWithId(fileId, v.kind, { metadata: { contentType: v.contentType } }));
    } catch (e) {
      await this.dropFile(fileId).catch(() => undefined);
      throw e;
    }
    return { sha256: hash.digest('hex'), bytes };
  }

  /** Removes the file's document and chunks; no document (a write that died) is no error. */
  private async dropFile(fileId: ObjectId): Promise<void> {
    try {
      await this.bucket.delete(fileId);
    } catch (e) {
      if (!(e instanceof MongoRuntimeError && /File not found/.test(e.message))) throw e;
    }
  }

  private async settle(fileIds: readonly ObjectId[]): Promise<void> {
    if (fileIds.length > 0) await this.c.intents.deleteMany({ _id: { $in: [...fileIds] } });
  }

  /** Each guest keeps its number; numbering continues after the highest ever handed out on the laptop. */
  async importGuests(guests: readonly { readonly ownerId: string; readonly number: number }[], counter: number): Promise<void> {
    for (const g of guests) await importGuest(this.c, g.ownerId, g.number);
    const top = Math.max(0, ...guests.map((g) => g.number));
    // A number a recovery retired stays taken (nobody holds it, so no guest document names it).
    if (counter > top) await this.c.numbers.updateOne({ _id: counter }, { $setOnInsert: { ownerId: '' } }, { upsert: true });
  }

  async importOwners(owners: Pick<StoredEvent, 'codes' | 'links'> & { readonly blocks: readonly { readonly ownerId: string; readonly at: number }[] }): Promise<void> {
    for (const b of owners.blocks) await this.c.blocks.updateOne({ _id: b.ownerId }, { $setOnInsert: { at: b.at } }, { upsert: true });
    for (const code of owners.codes) await setRecoveryCode(this.c, code.ownerId, code.codeHash, code.createdAt);
    for (const l of owners.links) await this.c.links.updateOne({ _id: l.browserKey }, { $set: { ownerId: l.ownerId } }, { upsert: true });
  }

  /** As the host would set them: one patch, event fields by path (wall.captions). */
  async importSettings(settings: HostSettings, adminHash: string | null): Promise<void> {
    const { uploadsPaused, pauseMessage, approvalRequired } = settings;
    await meta.updateSettings(this.c, { uploadsPaused, pauseMessage, approvalRequired, event: eventPaths(settings.event) });
    if (adminHash !== null) await meta.writeAdminSecret(this.c, adminHash);
  }

  /** The next change takes `seq` + 1, after every migrated one. */
  async raiseSeq(seq: number): Promise<void> {
    if (seq > 0) await new SeqTickets(this.c.tickets, this.c.closes).raiseTo(seq);
  }

  async readBack(): Promise<StoredEvent> {
    const [photos, guests, blocks, codes, links] = await Promise.all([
      this.c.photos.find({}).toArray(),
      this.c.guests.find({ number: { $ne: null } }).toArray(),
      this.c.blocks.find({}).toArray(),
      this.c.codes.find({}).toArray(),
      this.c.links.find({}).toArray(),
    ]);
    const secret = await this.c.meta.findOne({ _id: 'secret:cookie' });
    return {
      photos: photos.map((d) => this.storedPhoto(d)),
      guests: guests.map((g) => ({ ownerId: g._id, number: g.number! })),
      blocks: blocks.map((b) => b._id),
      codes: codes.map((c) => ({ ownerId: c._id, codeHash: c.codeHash, createdAt: c.createdAt })),
      links: links.map((l) => ({ browserKey: l._id, ownerId: l.ownerId })),
      settings: await meta.readSettings(this.c),
      adminHash: await meta.readAdminSecret(this.c),
      cookieSecret: typeof secret?.['value'] === 'string' ? secret['value'] : null,
      gridFsFiles: await this.db.collection('media.files').countDocuments({}),
    };
  }

  private storedPhoto(doc: PhotoDoc): StoredPhoto {
    const job = doc.jobs?.archive;
    return {
      id: doc._id,
      seq: doc.seq,
      ownerId: doc.ownerId,
      state: doc.state,
      clientUploadId: doc.clientUploadId,
      caption: doc.caption,
      author: doc.author,
      createdAt: doc.createdAt,
      archiveJob: job ? { dueAt: job.dueAt, attempts: job.attempts, lastError: job.lastError ?? null } : null,
      variants: doc.variants.map(({ fileId, ...v }) => ({ ...v, digest: () => digestOf(this.bucket.openDownloadStream(fileId)) })),
    };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** photoDoc's shape, with the laptop's state and seq, and its archive job's schedule (lease dropped). */
function migratedDoc(photo: ImportPhoto, variants: readonly VariantDoc[]): PhotoDoc {
  const { id, ownerId, clientUploadId, caption, author, createdAt, archiveJob: job } = photo;
  const doc = photoDoc({ id, ownerId, clientUploadId, caption, author, createdAt, blobs: [] }, photo.seq, variants);
  if (!doc.jobs || !job) return { ...doc, state: photo.state };
  const archive = { dueAt: job.dueAt, leaseOwner: null, leaseUntil: 0, attempts: job.attempts, ...(job.lastError ? { lastError: job.lastError } : {}) };
  return { ...doc, state: photo.state, jobs: { archive } };
}

/** The first field in which the stored photo differs from the laptop's, or null. */
export function whatDiffers(stored: Omit<StoredPhoto, 'variants'> & { readonly variants: readonly VariantRecord[] }, photo: ImportPhoto): string | null {
  for (const field of ['seq', 'ownerId', 'clientUploadId', 'state', 'caption', 'author', 'createdAt'] as const) {
    if (stored[field] !== photo[field]) return `${field} is ${JSON.stringify(stored[field])} in MongoDB, ${JSON.stringify(photo[field])} on the laptop`;
  }
  const variants = (list: readonly VariantRecord[]) =>
    JSON.stringify([...list].sort((a, b) => (a.kind < b.kind ? -1 : 1)).map((v) => [v.kind, v.key, v.contentType, v.width, v.height, v.bytes]));
  if (variants(stored.variants) !== variants(photo.variants)) return `its variants differ (MongoDB: ${stored.variants.map((v) => v.kind).join(', ') || 'none'})`;
  if ((stored.archiveJob === null) !== (photo.archiveJob === null)) return `its archive job is ${stored.archiveJob ? '' : 'not '}pending in MongoDB`;
  return null;
}

/** The saved event settings as SettingsPatch paths: a group field by field (wall.captions), anything else whole. */
function eventPaths(event: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(event)) {
    const fields = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
    if (fields.length > 0 && fields.every(([field]) => SETTINGS_PATH.test(`${name}.${field}`))) {
      for (const [field, inner] of fields) paths[`${name}.${field}`] = inner;
    } else paths[name] = value;
  }
  return paths;
}

async function digestOf(pieces: AsyncIterable<Uint8Array>): Promise<Digest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const piece of pieces) {
    hash.update(piece);
    bytes += piece.byteLength;
  }
  return { sha256: hash.digest('hex'), bytes };
}
