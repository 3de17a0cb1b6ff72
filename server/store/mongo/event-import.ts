/**
 * The MongoDB side of `npm run migrate`: writes a laptop event into the collections MongoStore uses,
 * every write idempotent, and reads it all back for the tool's verification. A photo is stored as
 * the store stores one: its GridFS files first (each behind an intent), then its document in one
 * insert, shaped by photoDoc(). File ids are derived from (photo id, kind), so a re-run finds what
 * an interrupted run wrote instead of writing it twice.
 */
import type { Db, MongoClient } from 'mongodb';
import { SETTINGS_PATH, type HostSettings, type PhotoRecord, type VariantRecord } from '../types';
import { collectionsOf, ensureIndexes, type Collections, type PhotoDoc, type VariantDoc } from './collections';
import { importGuest } from './guest-docs';
import { MigratedFiles, type Digest } from './migrated-files';
import { mongoClient, storeDatabase } from './mongo-client';
import * as meta from './meta-docs';
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
  /** When it came after its photo (a full copy attached later); null: queued with the photo. */
  readonly queuedAt: number | null;
}

/** A photo as the laptop holds it (tombstones included); its archive job comes along while a source waits. */
export interface ImportPhoto extends Omit<PhotoRecord, 'guest' | 'variants'> {
  readonly variants: readonly ImportVariant[];
  readonly archiveJob: ImportJob | null;
}

/** Blocked guests, recovery codes and the browsers linked to an owner by one. */
export interface ImportOwners extends Pick<StoredEvent, 'codes' | 'links'> {
  readonly blocks: readonly { readonly ownerId: string; readonly at: number }[];
}

export type PhotoOutcome = { readonly kind: 'copied' | 'already there' } | { readonly kind: 'differs'; readonly why: string };

export type { Digest } from './migrated-files';

export interface StoredVariant extends VariantRecord {
  /** The SHA-256 of the GridFS file the photo document names, or why it has none. */
  readonly digest: Digest | string;
}

export interface StoredPhoto extends Omit<ImportPhoto, 'variants'> {
  readonly variants: readonly StoredVariant[];
}

/** A photo's fields without bytes or hashes: what whatDiffers compares. */
export type PhotoFields = Omit<StoredPhoto, 'variants'> & { readonly variants: readonly VariantRecord[] };

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

export class EventImport {
  private readonly files: MigratedFiles;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly c: Collections,
  ) {
    this.files = new MigratedFiles(db, c);
  }

  /** Connects and creates the store's indexes (the unique ones guard the imports too). */
  static async open(uri: string, database: string | null): Promise<EventImport> {
    const client = mongoClient(uri, 'photobook-migrate');
    try {
      await client.connect();
      const db = storeDatabase(client, database);
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
    for (const v of photo.variants) variants.push(await this.files.write(photo.id, v));
    try {
      await this.c.photos.insertOne(migratedDoc(photo, variants));
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const raced = await this.c.photos.findOne({ _id: photo.id });
      if (raced) return this.compared(raced, photo);
      // Our files stay behind their intents: the server's sweep removes them, as no photo uses them.
      return { kind: 'differs', why: `MongoDB holds another photo for the same guest and upload (${photo.clientUploadId})` };
    }
    await this.files.settle(variants.map((v) => v.fileId));
    return { kind: 'copied' };
  }

  private async compared(doc: PhotoDoc, photo: ImportPhoto): Promise<PhotoOutcome> {
    const why = whatDiffers(storedFields(doc), photo);
    if (why) return { kind: 'differs', why };
    // A run that stopped between the insert and the settle left intents open: close them.
    await this.files.settle(doc.fileIds);
    return { kind: 'already there' };
  }

  /** Each guest keeps its number; numbering continues after the highest ever handed out on the laptop. */
  async importGuests(guests: readonly { readonly ownerId: string; readonly number: number }[], counter: number): Promise<void> {
    for (const g of guests) await importGuest(this.c, g.ownerId, g.number);
    const top = Math.max(0, ...guests.map((g) => g.number));
    // A number a recovery retired stays taken (nobody holds it, so no guest document names it).
    if (counter > top) await this.c.numbers.updateOne({ _id: counter }, { $setOnInsert: { ownerId: '' } }, { upsert: true });
  }

  async importOwners(owners: ImportOwners): Promise<void> {
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
    const digests = await this.files.digests(photos.flatMap((d) => d.fileIds));
    return {
      photos: photos.map((d) => ({ ...storedFields(d), variants: d.variants.map(({ fileId, ...v }) => ({ ...v, digest: digests.get(String(fileId)) ?? 'missing' })) })),
      guests: guests.map((g) => ({ ownerId: g._id, number: g.number! })),
      blocks: blocks.map((b) => b._id),
      codes: codes.map((c) => ({ ownerId: c._id, codeHash: c.codeHash, createdAt: c.createdAt })),
      links: links.map((l) => ({ browserKey: l._id, ownerId: l.ownerId })),
      settings: await meta.readSettings(this.c),
      adminHash: await meta.readAdminSecret(this.c),
      cookieSecret: typeof secret?.['value'] === 'string' ? secret['value'] : null,
      gridFsFiles: await this.files.count(),
    };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** The document's fields as the laptop's photo has them (variants without their file ids). */
function storedFields(doc: PhotoDoc): PhotoFields {
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
    archiveJob: job ? { dueAt: job.dueAt, attempts: job.attempts, lastError: job.lastError ?? null, queuedAt: job.queuedAt ?? null } : null,
    variants: doc.variants.map(({ fileId: _, ...v }) => v),
  };
}

/** photoDoc's shape, with the laptop's state and seq, and its archive job's schedule (lease dropped). */
function migratedDoc(photo: ImportPhoto, variants: readonly VariantDoc[]): PhotoDoc {
  const { id, ownerId, clientUploadId, caption, author, createdAt, archiveJob: job } = photo;
  const doc = photoDoc({ id, ownerId, clientUploadId, caption, author, createdAt, blobs: [] }, photo.seq, variants);
  if (!doc.jobs || !job) return { ...doc, state: photo.state };
  const archive = {
    dueAt: job.dueAt,
    leaseOwner: null,
    leaseUntil: 0,
    attempts: job.attempts,
    ...(job.lastError ? { lastError: job.lastError } : {}),
    ...(job.queuedAt !== null ? { queuedAt: job.queuedAt } : {}),
  };
  return { ...doc, state: photo.state, jobs: { archive } };
}

/** The first field in which the stored photo differs from the laptop's, or null. */
export function whatDiffers(stored: PhotoFields, photo: ImportPhoto): string | null {
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
