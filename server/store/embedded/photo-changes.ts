/**
 * Edits and removals of photos in SQLite. The actor check is in the WHERE clause of the UPDATE that
 * acts, and each change takes the next seq in the same transaction, so walls that catch up by seq
 * see edits and removals as well as additions.
 */
import type Database from 'better-sqlite3';
import { ErrorCode } from '@photobook/shared';
import { AppError } from '../../errors';
import type { Actor, NewPhoto, PhotoPatch, PhotoRecord, VariantRecord } from '../types';
import type { BlobFiles } from './blob-files';
import { assignGuestNumber } from './guest-rows';
import { addJob } from './job-rows';
import { photosWhere } from './photo-rows';

/** `(host OR owner_id = ?)`: the two parameters that follow an actor in every statement below. */
const MAY_ACT = '(? = 1 OR owner_id = ?)';
const actorParams = (actor: Actor) => (actor.kind === 'host' ? [1, ''] : [0, actor.ownerId]);

/** Takes the next seq for a row the statement changed; a statement that changed nothing takes none. */
function bumpSeq(db: Database.Database): void {
  db.prepare(`UPDATE counters SET value = value + 1 WHERE name = 'seq'`).run();
}
const NEXT_SEQ = `(SELECT COALESCE(MAX(value), 0) + 1 FROM counters WHERE name = 'seq')`;

function ensureCounter(db: Database.Database): void {
  db.prepare(`INSERT INTO counters (name, value) VALUES ('seq', 0) ON CONFLICT (name) DO NOTHING`).run();
}

export function updatePhoto(db: Database.Database, id: string, actor: Actor, patch: PhotoPatch): PhotoRecord | null {
  if (patch.state !== undefined && actor.kind !== 'host') return null;
  const run = db.transaction((): boolean => {
    ensureCounter(db);
    const changed = db
      .prepare(
        `UPDATE photos SET caption = COALESCE(?, caption), author = COALESCE(?, author), state = COALESCE(?, state),
           seq = ${NEXT_SEQ}
         WHERE id = ? AND state != 'removed' AND ${MAY_ACT}`,
      )
      .run(patch.caption ?? null, patch.author ?? null, patch.state ?? null, id, ...actorParams(actor)).changes;
    if (changed === 1) bumpSeq(db);
    return changed === 1;
  });
  return run() ? (photosWhere(db, 'p.id = ?', [id], 1)[0] ?? null) : null;
}

/** Returns the tombstone, or null when the actor may not (or the photo does not exist). */
export function removePhoto(db: Database.Database, blobs: BlobFiles, id: string, actor: Actor): { photo: PhotoRecord; released: string[] } | null {
  const run = db.transaction((): string[] | null => {
    ensureCounter(db);
    const keys = db.prepare<[string], { key: string }>('SELECT key FROM variants WHERE photo_id = ?').all(id).map((k) => k.key);
    const changed = db
      .prepare(
        `UPDATE photos SET state = 'removed', caption = '', author = '', seq = ${NEXT_SEQ}
         WHERE id = ? AND state != 'removed' AND ${MAY_ACT}`,
      )
      .run(id, ...actorParams(actor)).changes;
    if (changed === 0) {
      // Removing twice is fine for whoever may act: the tombstone is the answer.
      const again = db.prepare(`SELECT 1 FROM photos WHERE id = ? AND state = 'removed' AND ${MAY_ACT}`).get(id, ...actorParams(actor));
      return again ? [] : null;
    }
    bumpSeq(db);
    db.prepare('DELETE FROM variants WHERE photo_id = ?').run(id);
    // Bytes another photo still uses stay; the rest get an intent, so even a crash right after this
    // commit leaves files the sweep may finish.
    const released = keys.filter((key) => db.prepare('SELECT 1 FROM variants WHERE key = ? LIMIT 1').get(key) === undefined);
    blobs.release(released);
    return released;
  });
  const released = run();
  if (released === null) return null;
  const photo = photosWhere(db, 'p.id = ?', [id], 1)[0];
  return photo ? { photo, released } : null;
}

function addVariant(db: Database.Database, photoId: string, v: VariantRecord): void {
  db.prepare(`INSERT INTO variants (photo_id, kind, key, content_type, width, height, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
    photoId,
    v.kind,
    v.key,
    v.contentType,
    v.width,
    v.height,
    v.bytes,
  );
}

/**
 * The photo and its variants in one transaction, settling the blobs' intents; the first seq is taken
 * here, and the owner's guest number with their first photo.
 */
export function insertPhoto(db: Database.Database, blobs: BlobFiles, photo: NewPhoto, variants: readonly VariantRecord[]): void {
  db.transaction(() => {
    const seq = db
      .prepare<[], { value: number }>(
        `INSERT INTO counters (name, value) VALUES ('seq', 1)
         ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
      )
      .get()?.value;
    if (seq === undefined) throw new AppError(ErrorCode.Internal, 'The sequence counter failed.');
    db.prepare(
      `INSERT INTO photos (id, seq, owner_id, client_upload_id, caption, author, created_at, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(photo.id, seq, photo.ownerId, photo.clientUploadId, photo.caption, photo.author, photo.createdAt, photo.state ?? 'visible');
    assignGuestNumber(db, photo.ownerId);
    for (const v of variants) addVariant(db, photo.id, v);
    blobs.settle(variants.map((v) => v.key));
    // The source waits for its archive copy; the job is part of the same transaction as the photo.
    if (variants.some((v) => v.kind === 'source')) addJob(db, 'archive', photo.id, photo.createdAt);
  })();
}

/** Swaps one variant for another in one transaction; the replaced file is released unless shared. */
export function swapVariant(db: Database.Database, blobs: BlobFiles, photoId: string, replaces: string, next: VariantRecord): string[] | null {
  return db.transaction((): string[] | null => {
    const old = db
      .prepare<[string, string], { key: string }>(
        `SELECT v.key FROM variants v JOIN photos p ON p.id = v.photo_id WHERE v.photo_id = ? AND v.kind = ? AND p.state != 'removed'`,
      )
      .get(photoId, replaces);
    if (!old) return null;
    db.prepare('DELETE FROM variants WHERE photo_id = ? AND kind = ?').run(photoId, replaces);
    db.prepare(
      `INSERT INTO variants (photo_id, kind, key, content_type, width, height, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (photo_id, kind) DO UPDATE SET key = excluded.key, content_type = excluded.content_type,
         width = excluded.width, height = excluded.height, bytes = excluded.bytes`,
    ).run(photoId, next.kind, next.key, next.contentType, next.width, next.height, next.bytes);
    blobs.settle([next.key]);
    const unused = db.prepare('SELECT 1 FROM variants WHERE key = ? LIMIT 1').get(old.key) === undefined;
    const released = unused && old.key !== next.key ? [old.key] : [];
    blobs.release(released);
    return released;
  })();
}

/**
 * A preview's photo gets its full copy: the source variant, its archive job (queued at `at`) and the
 * next seq in one transaction, settling the blob's intent. Only for the owner's photo that is not
 * removed and has no source or original yet (the UPDATE's WHERE); false, changing nothing, otherwise.
 */
export function attachSource(db: Database.Database, blobs: BlobFiles, photoId: string, ownerId: string, source: VariantRecord, at: number): boolean {
  return db.transaction((): boolean => {
    ensureCounter(db);
    const changed = db
      .prepare(
        `UPDATE photos SET seq = ${NEXT_SEQ}
         WHERE id = ? AND owner_id = ? AND state != 'removed'
           AND NOT EXISTS (SELECT 1 FROM variants v WHERE v.photo_id = photos.id AND v.kind IN ('source', 'original'))`,
      )
      .run(photoId, ownerId).changes;
    if (changed === 0) return false;
    bumpSeq(db);
    addVariant(db, photoId, source);
    blobs.settle([source.key]);
    addJob(db, 'archive', photoId, at, at);
    return true;
  })();
}
