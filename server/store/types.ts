/**
 * The storage ports. Two adapters implement all of them in one object (embedded: SQLite + files;
 * scale-out: MongoDB + GridFS), and both pass spec/store/store-contract.ts unchanged. Each service
 * takes only the ports it uses.
 *
 * Bytes take one shape in and one out: Uint8Array pieces in (a chunk, or an AsyncIterable of them
 * for an image), AsyncIterable<Uint8Array> out (an upload, a variant, a served image).
 *
 * What a single-writer database gives for free is written down here instead, because the MongoDB
 * adapter has several writers (replicas) and no multi-document transactions:
 * - Seq order: `changesSince` and `currentSeq` never let a reader skip a change that becomes visible
 *   later (see PhotoStore.currentSeq).
 * - Each atomic step is one fact: a photo with its variants and its archive job; a variant swap; a
 *   settings patch. Steps that span facts (a guest's alias number, a recovery's move) are idempotent
 *   and finished by a re-run or by the sweep.
 */
import type { BookPaper, BookState, PhotoState, UploadBeginRequest } from '@photobook/shared';

/**
 * display and thumb: what walls and pages show. source: the upload exactly as sent (metadata and
 * all), private, until the archive job turns it into original: the host's copy, metadata stripped
 * without re-encoding.
 */
export type VariantKind = 'source' | 'original' | 'display' | 'thumb';

/** Variants a guest's browser may fetch. The source and the host's original stay private. */
export const PUBLIC_VARIANTS: ReadonlySet<VariantKind> = new Set(['display', 'thumb']);

/**
 * Variants that hold the whole file (as sent, or as the host's archive copy). A photo made from its
 * preview has neither until its full copy is attached (UP23, UP25).
 */
export const FULL_COPY_VARIANTS: ReadonlySet<VariantKind> = new Set(['source', 'original']);

export interface VariantRecord {
  readonly kind: VariantKind;
  /** Content address: sha256 of the bytes plus extension, e.g. "ab12...ef.webp". */
  readonly key: string;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
}

export interface PhotoRecord {
  readonly id: string;
  /** Taken anew by every change, so "changes since" finds edits and removals too. */
  readonly seq: number;
  /** A keyed hash of the guest's id (never the id itself); never leaves the server. */
  readonly ownerId: string;
  /** The owner's alias number (GuestInfo.number), 0 when the owner has none. */
  readonly guest: number;
  readonly state: PhotoState;
  readonly clientUploadId: string;
  readonly caption: string;
  readonly author: string;
  readonly createdAt: number;
  readonly variants: readonly VariantRecord[];
}

/** Who acts on a photo: its owner (by owner key) or the host. The store checks it in the same write. */
export type Actor = { readonly kind: 'owner'; readonly ownerId: string } | { readonly kind: 'host' };

export interface PhotoPatch {
  readonly caption?: string;
  readonly author?: string;
  /** Host only (the admin console): visible, pending or hidden. */
  readonly state?: Exclude<PhotoState, 'removed'>;
}

export interface NewBlob {
  readonly kind: VariantKind;
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  /** How many bytes `body` yields: room is checked before writing, the count after. */
  readonly bytes: number;
  /** The bytes in pieces (PIECE_BYTES at most); called again on a retried commit. */
  readonly body: () => AsyncIterable<Uint8Array>;
}

/**
 * A blob's bytes written ahead of its photo, while the photo's variants are being made (behind an
 * intent, as createPhoto's own writes are): the upload itself, so the wall does not wait for its copy.
 * The store that staged it is the one it is handed back to.
 */
export interface StagedFile {
  readonly kind: VariantKind;
  readonly contentType: string;
  readonly bytes: number;
}

/** A blob of a new photo whose bytes were staged (PhotoStore.stageBlob): kind, type and size as staged. */
export interface StagedBlob extends Omit<NewBlob, 'body'> {
  readonly staged: StagedFile;
}

export const isStaged = (blob: NewBlob | StagedBlob): blob is StagedBlob => 'staged' in blob;

export interface NewPhoto {
  readonly id: string;
  /** pending while the host's pre-approval is on; visible otherwise (the default). */
  readonly state?: 'visible' | 'pending';
  readonly ownerId: string;
  readonly clientUploadId: string;
  readonly caption: string;
  readonly author: string;
  readonly createdAt: number;
  readonly blobs: readonly (NewBlob | StagedBlob)[];
}

/**
 * A partial upload: the validated begin request plus who sent it and how far it got. An original that
 * follows its preview is stored under a clientUploadId of its own (see server/upload/parts.ts).
 */
export interface UploadRecord extends Omit<UploadBeginRequest, 'part'> {
  readonly id: string;
  readonly ownerId: string;
  /**
   * Opaque key of the network address it came from (the caller passes a keyed hash, never the
   * address), so one address cannot take every partial-upload slot. Null when unknown (and for
   * uploads begun before the store kept it): those count only toward the total.
   */
  readonly addressKey: string | null;
  /** Bytes durably received so far. */
  readonly received: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type NewUpload = Omit<UploadRecord, 'received' | 'updatedAt'>;

/** An inclusive byte range, as HTTP's Range header names it. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface MediaFile {
  readonly contentType: string;
  readonly bytes: number;
  /** The bytes, or only those of `range` (inclusive, within 0..bytes-1). */
  readonly open: (range?: ByteRange) => AsyncIterable<Uint8Array>;
}

/** An upload's bytes on the local disk (see UploadStore.uploadFile). */
export interface UploadFile {
  readonly path: string;
  /** Its size: the received count when the file was handed over. */
  readonly bytes: number;
  readonly release: () => Promise<void>;
}

/** What the host decides at runtime; persisted so a restart (or another replica) sees the same. */
export interface HostSettings {
  readonly uploadsPaused: boolean;
  readonly pauseMessage: string;
  /** Pre-approval: new photos wait as pending until the host approves them. */
  readonly approvalRequired: boolean;
  /**
   * The event settings the host changed, as saved (the settings service checks and merges them with
   * the server's defaults). Stored as given: a JSON-able object, {} when the host changed nothing.
   */
  readonly event: Readonly<Record<string, unknown>>;
}

/**
 * A change to the host's settings, applied as one write so that two consoles (or replicas) changing
 * different fields both keep theirs. `event` sets fields of the saved event settings by path: a key
 * is a field name, or `group.field` for a field inside a group (e.g. `wall.captions`).
 */
export interface SettingsPatch {
  readonly uploadsPaused?: boolean;
  readonly pauseMessage?: string;
  readonly approvalRequired?: boolean;
  readonly event?: Readonly<Record<string, unknown>>;
}

/** Valid paths in SettingsPatch.event: one or two plain names (no dots, dollars or prototype keys). */
export const SETTINGS_PATH = /^(?!__proto__|constructor|prototype)[A-Za-z][A-Za-z0-9]{0,39}(\.(?!__proto__|constructor|prototype)[A-Za-z][A-Za-z0-9]{0,39})?$/;

export const DEFAULT_HOST_SETTINGS: HostSettings = Object.freeze({ uploadsPaused: false, pauseMessage: '', approvalRequired: false, event: {} });

/** The host's moderation grid: a page of photos, newest upload first. */
export interface HostPhotoQuery {
  /** Which states (never removed); empty means none. */
  readonly states: readonly Exclude<PhotoState, 'removed'>[];
  /** Case-insensitive substring of the caption or the name; '' matches all. Taken literally (no wildcards). */
  readonly search: string;
  /** Only the photos of the guest with this alias number; null: everyone. */
  readonly guest: number | null;
  /** Photos strictly after this one in the order (createdAt descending, then id descending); null: from the top. */
  readonly after: { readonly createdAt: number; readonly id: string } | null;
  readonly limit: number;
}

/** How the host sees a guest: an alias number handed out in order of first photo, and whether blocked. */
export interface GuestInfo {
  readonly number: number;
  readonly blocked: boolean;
}

export interface PhotoCounts {
  readonly visible: number;
  readonly pending: number;
  readonly hidden: number;
  /** Owners with at least one photo that is not removed. */
  readonly guests: number;
  /** Bytes of all variants of photos that are not removed (shared bytes counted once per photo). */
  readonly bytes: number;
}

export interface StaleUploadQuery {
  /** Not touched since (epoch ms). */
  readonly idleBefore: number;
  /** Begun before (epoch ms): past the absolute deadline. */
  readonly createdBefore: number;
}

/** How much room the store has left above its reserve (for the log and the host's console). */
export interface StorageStatus {
  /** Free bytes where the store writes (null when the backend cannot tell). */
  readonly freeBytes: number | null;
  readonly reserveBytes: number;
  /** Below the reserve: begins and chunks answer STORAGE_FULL until space is freed. */
  readonly full: boolean;
}

export interface SweepReport {
  readonly removed: number;
  /** Files that could not be removed this time (the next sweep tries again). */
  readonly errors: readonly Error[];
}

/**
 * Durable background work: claimed with a lease, so a crashed worker's job is taken over. archive:
 * a photo's archive copy; book: a photo book's PDF.
 */
export type JobKind = 'archive' | 'book';

export interface JobRecord {
  readonly id: string;
  readonly kind: JobKind;
  /** What the job works on: the photo's id (archive), the book's id (book). */
  readonly subject: string;
  /** Claims so far, this one included. */
  readonly attempts: number;
}

/** A file the store keeps whole (a photo book's PDF): its bytes in pieces, as NewBlob's. */
export interface NewFile {
  readonly contentType: string;
  readonly bytes: number;
  readonly body: () => AsyncIterable<Uint8Array>;
}

/** What the host asked the book to be (validated by the book service). */
export interface BookOptions {
  readonly paper: BookPaper;
  readonly coverPhotoId: string | null;
  readonly title: string | null;
  readonly date: string | null;
  readonly locale: string | null;
  readonly timeZone: string | null;
}

export interface BookRecord {
  readonly id: string;
  readonly options: BookOptions;
  readonly state: BookState;
  readonly placed: number;
  readonly total: number;
  readonly createdAt: number;
  readonly finishedAt: number | null;
  /** Why it failed, or why the last try failed while its job waits to be tried again. */
  readonly error: string | null;
  /** The PDF's content key and size once ready. */
  readonly fileKey: string | null;
  readonly bytes: number | null;
}

export interface NewBook {
  readonly id: string;
  readonly options: BookOptions;
  readonly createdAt: number;
}

export interface JobQueueStats {
  readonly depth: number;
  readonly oldestQueuedAt: number | null;
}

/** Partial uploads: the guest's bytes until commit. */
export interface UploadStore {
  /** Creates the upload, or returns the existing one for the same owner and clientUploadId. */
  beginUpload(upload: NewUpload): Promise<UploadRecord>;
  getUpload(id: string): Promise<UploadRecord | null>;
  findUpload(ownerId: string, clientUploadId: string): Promise<UploadRecord | null>;
  /** Changes the caption and name an open upload will be stored with (the guest edited them). */
  relabelUpload(id: string, text: { readonly caption: string; readonly author: string }): Promise<void>;
  /**
   * Marks an open upload as active at `at` (epoch ms): its guest is still there, e.g. waiting for
   * room, so it must not expire as idle. Never moves activity back; a missing upload is no error.
   */
  touchUpload(id: string, at: number): Promise<void>;
  /** Bytes every open upload still expects (declared size minus received): space already promised. */
  outstandingBytes(): Promise<number>;
  /**
   * Declared sizes of open uploads together: what partial uploads may come to hold. All of them, or
   * only those begun with this `addressKey` when one is given (a committed or deleted upload is no
   * longer open). A read, not a reservation: two replicas admitting uploads at once may both pass a cap.
   */
  reservedUploadBytes(addressKey?: string): Promise<number>;
  /** Open uploads of one owner. */
  countUploads(ownerId: string): Promise<number>;
  /**
   * Appends bytes if and only if the upload currently holds exactly `offset` bytes, and only once
   * they are durable. Returns the upload's received count afterwards (unchanged when offset did not
   * match). A failed or short write leaves the count at `offset` and throws STORAGE_FULL (below the
   * reserve) or INTERNAL: no byte is ever acknowledged that the store does not hold. Two appends at
   * the same offset (a guest whose phone moved to another replica) leave exactly one of them.
   */
  appendUpload(id: string, offset: number, data: Uint8Array): Promise<number>;
  /** Every received byte of an upload, in order, in pieces of at most PIECE_BYTES (nothing for a missing one). */
  readUpload(id: string): AsyncIterable<Uint8Array>;
  /** The first `maxBytes` received bytes (fewer when the upload holds fewer): enough for an image header. */
  readUploadHead(id: string, maxBytes: number): Promise<Uint8Array>;
  /**
   * The received bytes as a local file, for a decoder that reads a file in order (libvips) instead of
   * holding the whole upload in memory: the embedded store's own file, or a temporary copy (MongoDB)
   * that release() removes. Call release() once done; the file stays readable until then or until
   * deleteUpload. A missing upload gives an empty file.
   */
  uploadFile(id: string): Promise<UploadFile>;
  /** Removes the upload and its bytes (bytes first, so a full disk gets them back); a missing upload is not an error. */
  deleteUpload(id: string): Promise<void>;
  /** Uploads idle or past their deadline, for the sweeper. */
  listStaleUploads(query: StaleUploadQuery): Promise<readonly UploadRecord[]>;
}

/** Room above the reserve, and the clean-up of writes a crash left unfinished. */
export interface StorageUpkeep {
  /**
   * Resolves when the store answers a trivial request within `timeoutMs` (readiness for a load
   * balancer); rejects with the reason otherwise. Never waits longer than that.
   */
  ping(timeoutMs: number): Promise<void>;
  /** Throws STORAGE_FULL when storing `bytes` more would eat into the reserve. */
  ensureRoom(bytes: number): Promise<void>;
  storage(): Promise<StorageStatus>;
  /**
   * Finishes what crashes and failed commits left behind: image blobs whose write was recorded as
   * started before `before` (epoch ms) and that no photo refers to are removed, and steps left
   * half-done (a recovery's move) are completed. Nothing is removed merely because the metadata
   * does not mention it.
   */
  sweepOrphans(before: number): Promise<SweepReport>;
}

/** Photos, their change feed and their images. */
export interface PhotoStore {
  /**
   * Stores the blobs first (each behind a recorded intent) and the photo record last, in one write
   * with its variants and (when it has a source) its archive job, so a reader never sees a photo
   * without its images. The owner's alias number is given before it returns. If the owner already
   * has a photo for clientUploadId, returns that one and stores nothing. Fails with STORAGE_FULL or
   * INTERNAL, both retryable. A staged blob among `blobs` becomes the photo's, or is removed when
   * the photo exists already or the write fails: either way the caller is done with it.
   */
  createPhoto(photo: NewPhoto): Promise<PhotoRecord>;
  /**
   * Writes a blob's bytes ahead of its photo (room checked first, STORAGE_FULL or INTERNAL when it
   * fails). Hand it to createPhoto, which either makes it the photo's or removes it, or to
   * discardStaged. A crash in between leaves it behind its intent, for the sweep.
   */
  stageBlob(blob: Omit<NewBlob, 'width' | 'height'>, startedAt: number): Promise<StagedFile>;
  /** Removes a staged blob no photo took (best effort: what stays is the sweep's). */
  discardStaged(staged: StagedFile): Promise<void>;
  findPhotoByUpload(ownerId: string, clientUploadId: string): Promise<PhotoRecord | null>;
  /** Any photo by id, whatever its state. */
  getPhoto(id: string): Promise<PhotoRecord | null>;
  /** Visible photos, newest first. */
  listPhotos(limit: number): Promise<readonly PhotoRecord[]>;
  /** How many photos are on the wall: an index count, cheap at any store size (every wall join asks). */
  countVisible(): Promise<number>;
  /** One owner's photos that are not removed, newest first. */
  listOwnPhotos(ownerId: string, limit: number): Promise<readonly PhotoRecord[]>;
  /**
   * Every photo changed after `seq` in any state (tombstones included), oldest change first, at most
   * `limit`, and none past a position no change can still appear below (see currentSeq).
   */
  changesSince(seq: number, limit: number): Promise<readonly PhotoRecord[]>;
  /**
   * Applies the patch and takes the next seq, only if the actor may (owner or host) and the photo is
   * not removed; the check is part of the write. Null otherwise: a stranger cannot tell a photo
   * that is not theirs from one that does not exist. A state change is for the host only.
   */
  updatePhoto(id: string, actor: Actor, patch: PhotoPatch): Promise<PhotoRecord | null>;
  /**
   * Turns the photo into a tombstone (state removed, no caption, no images) with the next seq, and
   * deletes its image files unless another photo uses the same bytes. Same actor rule as
   * updatePhoto. Removing a removed photo again returns its tombstone and changes nothing.
   */
  removePhoto(id: string, actor: Actor): Promise<PhotoRecord | null>;
  /**
   * The feed position readers may advance to: every change with a seq at or below it that will ever
   * be visible is visible now. Seqs increase with every change but several writers can make them
   * visible out of order (41 after 42), so this is not simply the highest seq handed out; a reader
   * that advanced past a seq still being written would skip it for good. 0 for an empty store.
   */
  currentSeq(): Promise<number>;
  /**
   * A public variant (display, thumb) by content key: of a visible photo for 'public', of any photo
   * that is not removed for 'host' (the admin console); null for anything else.
   */
  openMedia(key: string, scope?: 'public' | 'host'): Promise<MediaFile | null>;
  /**
   * Gives a photo made from its preview its full copy (UP25): stores `blob` (as kind 'source',
   * whatever blob.kind says) and, in one write, adds it as the photo's source variant together with
   * its archive job (queued now), under the next seq, so consoles and the owner's pages hear of it.
   * Only for the owner's photo that is not removed and holds no source or original yet; that check
   * is part of the write. Returns the photo as it is afterwards: unchanged, storing nothing, when it
   * already had its full copy (a repeated commit). Null when the photo is missing, removed or someone
   * else's (nothing is kept of the blob then: deleted, or left behind its intent for the sweep when
   * the check failed only at the write). Fails with STORAGE_FULL or INTERNAL, both retryable.
   */
  attachSource(photoId: string, ownerId: string, blob: NewBlob): Promise<PhotoRecord | null>;
  /** A variant's bytes, private ones included (the archive job, the export); null when the photo has none. */
  readVariant(photoId: string, kind: VariantKind): Promise<{ readonly contentType: string; readonly body: AsyncIterable<Uint8Array> } | null>;
  /**
   * The same variant as a file to serve (its size, and ranges of it), whatever the photo's state: the
   * caller decides who may have which (a guest's download: the original or display of a visible
   * photo, never the source). Null when the photo has no such variant.
   */
  openVariant(photoId: string, kind: VariantKind): Promise<MediaFile | null>;
}

/** What the host's console reads and does to guests. */
export interface ModerationStore {
  /** The host's grid (see HostPhotoQuery). */
  listForHost(query: HostPhotoQuery): Promise<readonly PhotoRecord[]>;
  /**
   * The alias of each owner given that has one. An owner gets the next number when their first
   * photo is stored; it never changes (recovery keeps the recovered owner's) and is never reused.
   */
  guestsOf(ownerIds: readonly string[]): Promise<ReadonlyMap<string, GuestInfo>>;
  photoCounts(): Promise<PhotoCounts>;
  /** Blocks uploads from the owner of this photo (the host's moderation); null for an unknown photo. */
  blockOwnerOf(photoId: string): Promise<{ readonly ownerId: string } | null>;
  isBlocked(ownerId: string): Promise<boolean>;
  /** Lets the owner of this photo upload again; false for an unknown photo. */
  unblockOwnerOf(photoId: string): Promise<boolean>;
}

/** Guests who come back on another browser with their recovery code. */
export interface OwnerStore {
  /** The owner a browser's key stands for: the owner it recovered with a code, else itself. */
  resolveOwner(ownerId: string): Promise<string>;
  /** Replaces the owner's recovery code; only a keyed hash of it is ever stored. */
  setRecoveryCode(ownerId: string, codeHash: string, at: number): Promise<void>;
  /**
   * Makes `browserKey` stand for the owner whose code hash this is, moving whatever that browser
   * owned so far (photos, open uploads, links, its alias number when the owner has none, a block)
   * to that owner. The link is one write; the move is idempotent, and one a crash interrupted is
   * finished by the next recovery of that browser or by the sweep. Returns the owner, or null for a
   * code that matches nobody.
   */
  recoverOwner(browserKey: string, codeHash: string): Promise<string | null>;
}

/** Durable background work, leased so any replica (or a worker) takes over a crashed one's job. */
export interface JobStore {
  /**
   * Takes the oldest due job of `kind` for `worker` until `now + leaseMs`: unclaimed, or whose lease
   * ran out (its worker died). Null when none is due.
   */
  claimJob(kind: JobKind, worker: string, now: number, leaseMs: number): Promise<JobRecord | null>;
  /** Done: the job is gone. Only the worker holding the lease may. */
  completeJob(id: string, worker: string): Promise<void>;
  /** Failed this time: released, due again at `retryAt` (a book's job leaves `error` on its queued book). */
  failJob(id: string, worker: string, error: string, retryAt: number): Promise<void>;
  /**
   * For metrics: jobs of every kind not yet done (waiting, leased, or failed and waiting to retry;
   * an archive job is never given up, and one whose photo was removed is no work and does not count;
   * a book's job ends when its book is ready or given up), and when the oldest of them was queued
   * (epoch ms: its photo's createdAt when the job came in the same write as its photo, else when
   * attachSource queued it; a book's createdAt), null when there are none. A snapshot, not exact
   * under concurrent writes.
   */
  jobQueue(): Promise<JobQueueStats>;
  /**
   * Stores `blob` and, in one write, makes it the photo's variant in place of `replaces` (whose
   * file goes unless another photo shares it). False, storing nothing, when the photo is removed or
   * has no such variant any more.
   */
  replaceVariant(photoId: string, replaces: VariantKind, blob: NewBlob): Promise<boolean>;
}

/**
 * Photo books: one is made at a time, by a 'book' job (JobStore) whose subject is the book. Every
 * write of the job's worker holds only while it holds the job's lease, checked in the same write.
 */
export interface BookStore {
  /**
   * Stores the book (queued) with its job due now, unless a book is queued or being made: then null
   * and nothing is stored. Two requests at once (two consoles, two replicas) store one book.
   */
  requestBook(book: NewBook): Promise<BookRecord | null>;
  getBook(id: string): Promise<BookRecord | null>;
  /** The book requested last (any state), and the ready one (the last made): null when none. */
  books(): Promise<{ readonly latest: BookRecord | null; readonly ready: BookRecord | null }>;
  /**
   * While `worker` holds the book's job: making, with this progress, and the job's lease extended to
   * `leaseUntil` (a heartbeat: a long book keeps its job while its worker lives). False (nothing
   * written) otherwise.
   */
  bookProgress(id: string, worker: string, placed: number, total: number, leaseUntil: number): Promise<boolean>;
  /**
   * Stores the PDF and, while `worker` holds the book's job, makes the book ready and its job done
   * in one write; the book ready before it (if any) then goes, with its file. False when the lease
   * was lost: the file is not kept.
   */
  finishBook(id: string, worker: string, file: NewFile, at: number): Promise<boolean>;
  /**
   * While `worker` holds the book's job: failed for good with this message, the job done (a failure
   * to retry goes through JobStore.failJob, which leaves the message on a queued book).
   */
  giveUpBook(id: string, worker: string, message: string, at: number): Promise<boolean>;
  /** A ready book's PDF; null for any other book. */
  openBook(id: string): Promise<MediaFile | null>;
}

/** The host's switches and event settings. */
export interface SettingsStore {
  readSettings(): Promise<HostSettings>;
  /** Applies the patch in one write (fields it does not name keep their value) and returns the result. */
  updateSettings(patch: SettingsPatch): Promise<HostSettings>;
}

/** The admin's password hash and sessions, and secrets every replica must share. */
export interface AdminStore {
  /** The admin password's slow hash (scrypt, parameters included); null before the first start. */
  readAdminSecret(): Promise<string | null>;
  writeAdminSecret(hash: string): Promise<void>;
  /**
   * Admin sessions live in the store so that every replica sees a sign-in and a sign-out. The id is
   * stored as given (the caller passes a hash of the cookie's token). Creating one also forgets expired ones.
   */
  createAdminSession(id: string, expiresAt: number, now: number): Promise<void>;
  /** The session's expiry (epoch ms) while it is live at `now`; null when unknown, deleted or expired. */
  adminSessionExpiry(id: string, now: number): Promise<number | null>;
  /** True when a session was deleted. */
  deleteAdminSession(id: string): Promise<boolean>;
  /**
   * A secret every replica must use alike (the owner cookie's key): the stored one, or `create()`'s
   * value stored now. Two replicas starting at once end up with the same one.
   */
  sharedSecret(name: 'cookie', create: () => string): Promise<string>;
}

/** One adapter implements every port. */
export interface Store extends UploadStore, StorageUpkeep, PhotoStore, ModerationStore, OwnerStore, JobStore, BookStore, SettingsStore, AdminStore {
  /** Which backend, for the start banner and the log (e.g. "embedded SQLite in ./data"). */
  readonly description: string;
  close(): Promise<void>;
}
