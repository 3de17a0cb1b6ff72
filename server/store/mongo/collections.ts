/**
 * The MongoDB layout: one collection per kind of fact (mirroring the embedded store's tables), the
 * GridFS bucket for image blobs, and the indexes, created idempotently at start. Every atomic step
 * of the store is one document write, so neither transactions nor a replica set are required
 * (FerretDB, which runs our tests, has neither); a replica set adds durability and failover.
 */
import type { Binary, Collection, Db, ObjectId } from 'mongodb';
import type { BookState, PhotoState } from '@photobook/shared';
import type { BookOptions, JobKind, UploadRecord, VariantRecord } from '../types';

export interface VariantDoc extends VariantRecord {
  /** The GridFS file holding the bytes (each photo's own: removing one photo never touches another's). */
  readonly fileId: ObjectId;
}

export interface JobDoc {
  readonly dueAt: number;
  /** When a job came after its photo (a full copy attached later); absent: queued with the photo. */
  readonly queuedAt?: number;
  readonly leaseOwner: string | null;
  readonly leaseUntil: number;
  readonly attempts: number;
  readonly lastError?: string;
}

/** A photo with its variants and its jobs: one document, so storing one is one atomic write. */
export interface PhotoDoc {
  readonly _id: string;
  readonly seq: number;
  /** Bumped by every write, which compares it (compare-and-set) holding the right to the next (revisions.ts). */
  readonly rev: number;
  readonly ownerId: string;
  readonly clientUploadId: string;
  readonly state: PhotoState;
  readonly caption: string;
  readonly author: string;
  /** Lower-cased caption and name, for the host's literal, case-insensitive search. */
  readonly fold: { readonly caption: string; readonly author: string };
  readonly createdAt: number;
  readonly variants: readonly VariantDoc[];
  /** Every variant's content key, for serving images by key. */
  readonly keys: readonly string[];
  /** Every variant's GridFS file, for the sweep's "is this file still used" question. */
  readonly fileIds: readonly ObjectId[];
  /** Bytes of all variants (0 for a tombstone), for the host's counts. */
  readonly bytes: number;
  readonly jobs?: Partial<Record<JobKind, JobDoc>>;
}

/** A photo book, with its job while it is queued or being made: written one rev at a time (revisions.ts). */
export interface BookDoc {
  readonly _id: string;
  readonly rev: number;
  readonly options: BookOptions;
  readonly state: BookState;
  readonly placed: number;
  readonly total: number;
  readonly createdAt: number;
  readonly finishedAt: number | null;
  readonly error: string | null;
  /** The PDF in GridFS once ready, its content key and size. */
  readonly fileId: ObjectId | null;
  readonly fileKey: string | null;
  readonly bytes: number | null;
  readonly job?: JobDoc;
}

/** The book being made (one at a time): taken by inserting it, so two requests cannot both win. */
export interface BookSlotDoc {
  readonly _id: 'making';
  readonly bookId: string;
  readonly at: number;
}

/** An upload's record as the port has it (its id as _id), plus where its bytes are. */
export interface UploadDoc extends Omit<UploadRecord, 'id' | 'addressKey'> {
  readonly _id: string;
  /** Absent on uploads begun before addresses were kept; they count only toward the total. */
  readonly addressKey?: string | null;
  /** The accepted parts in order: the append that wins the count adds its part. */
  readonly parts: readonly PartRef[];
  /** Parts being written: listed before their bytes, so nothing a failed append wrote is ever lost track of. */
  readonly pending: readonly string[];
}

/** An accepted part: offset, length and the part document's id (objects: FerretDB v1 has no nested arrays). */
export interface PartRef {
  readonly offset: number;
  readonly length: number;
  readonly id: string;
}

/** One appended piece of an upload, read by _id only (upload id, offset and a random tag). */
export interface PartDoc {
  readonly _id: string;
  readonly data: Binary;
}

/** A seq handed out; open until its close record exists. */
export interface TicketDoc {
  readonly _id: number;
  readonly at: number;
}

/** How a ticket was closed: by its writer (done) or by a reader that gave up waiting (abandoned). */
export interface TicketClose {
  readonly _id: number;
  readonly how: 'done' | 'abandoned';
}

/** A setting, one document per field, so patches of different fields never overwrite each other. */
export interface SettingDoc {
  /** uploadsPaused, pauseMessage, approvalRequired, or event.<path>. */
  readonly _id: string;
  readonly value: unknown;
}

export interface Collections {
  readonly photos: Collection<PhotoDoc>;
  readonly uploads: Collection<UploadDoc>;
  readonly parts: Collection<PartDoc>;
  readonly tickets: Collection<TicketDoc>;
  readonly closes: Collection<TicketClose>;
  /** The right to write a photo's next rev (`<photo id>@<rev>`), held for one write. */
  readonly rights: Collection<{ _id: string; at: number }>;
  readonly settings: Collection<SettingDoc>;
  /** A GridFS file being written (or released): the sweep may delete it once no photo uses it. */
  readonly intents: Collection<{ _id: ObjectId; startedAt: number }>;
  /** Alias numbers: number is null between claiming an owner and numbering it. */
  readonly guests: Collection<{ _id: string; number: number | null; at: number }>;
  /** Every alias number ever handed out (never deleted, so none is handed out twice). */
  readonly numbers: Collection<{ _id: number; ownerId: string }>;
  readonly blocks: Collection<{ _id: string; at: number }>;
  readonly codes: Collection<{ _id: string; codeHash: string; createdAt: number }>;
  readonly links: Collection<{ _id: string; ownerId: string }>;
  /** A recovery's move of one browser's things to an owner, until it is finished. */
  readonly moves: Collection<{ _id: string; to: string; at: number }>;
  readonly sessions: Collection<{ _id: string; expiresAt: number }>;
  /** Small named documents: the admin password hash, shared secrets. */
  readonly meta: Collection<{ _id: string; [field: string]: unknown }>;
  readonly books: Collection<BookDoc>;
  readonly bookSlot: Collection<BookSlotDoc>;
}

export function collectionsOf(db: Db): Collections {
  return {
    photos: db.collection('photos'),
    uploads: db.collection('uploads'),
    parts: db.collection('upload_parts'),
    tickets: db.collection('seq_tickets'),
    closes: db.collection('seq_closed'),
    rights: db.collection('photo_write_rights'),
    settings: db.collection('settings'),
    intents: db.collection('blob_intents'),
    guests: db.collection('guests'),
    numbers: db.collection('guest_numbers'),
    blocks: db.collection('blocked_owners'),
    codes: db.collection('recovery_codes'),
    links: db.collection('owner_links'),
    moves: db.collection('owner_moves'),
    sessions: db.collection('admin_sessions'),
    meta: db.collection('meta'),
    books: db.collection('photo_books'),
    bookSlot: db.collection('photo_book_in_the_making'),
  };
}

/**
 * Idempotent: creating an index that exists with the same keys and options does nothing. One index
 * per call: FerretDB v1 drops the connection when one createIndexes names several that all exist.
 */
export async function ensureIndexes(c: Collections): Promise<void> {
  await Promise.all([
    c.photos.createIndex({ ownerId: 1, clientUploadId: 1 }, { unique: true, name: 'one_photo_per_upload' }),
    c.photos.createIndex({ seq: 1 }, { name: 'by_seq' }),
    c.photos.createIndex({ state: 1, seq: -1 }, { name: 'by_state' }),
    c.photos.createIndex({ createdAt: -1, _id: -1 }, { name: 'host_grid' }),
    c.photos.createIndex({ keys: 1 }, { name: 'by_key' }),
    c.photos.createIndex({ fileIds: 1 }, { name: 'by_file' }),
    c.photos.createIndex({ 'jobs.archive.dueAt': 1 }, { name: 'archive_due' }),
    c.uploads.createIndex({ ownerId: 1, clientUploadId: 1 }, { unique: true, name: 'one_upload_per_client_id' }),
    c.guests.createIndex({ number: 1 }, { name: 'by_number' }),
    c.codes.createIndex({ codeHash: 1 }, { unique: true, name: 'one_owner_per_code' }),
    c.links.createIndex({ ownerId: 1 }, { name: 'by_owner' }),
    c.sessions.createIndex({ expiresAt: 1 }, { name: 'by_expiry' }),
    c.books.createIndex({ createdAt: -1 }, { name: 'newest_book' }),
  ]);
}
