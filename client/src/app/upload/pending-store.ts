import { Injectable, InjectionToken, inject } from '@angular/core';
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';

/**
 * How far a pending upload got: new (not a photo yet) or shown (its preview made the photo, the
 * original is still to send). Finished uploads are not kept.
 */
export type PendingStage = 'new' | 'shown';

/** The bytes are fixed once prepared: a resume sends exactly what the server holds part of. */
export interface PendingPrepared {
  /** The name sent with the original (a smaller copy is renamed .jpg). */
  readonly name: string;
  readonly downscaled: boolean;
  /** Sent first; null: the photo goes whole. */
  readonly preview: Blob | null;
}

/** One photo the guest asked to send that has not reached its full copy yet. */
export interface PendingUpload {
  readonly clientUploadId: string;
  /** The picked file's name and type. */
  readonly name: string;
  readonly type: string;
  readonly caption: string;
  readonly author: string;
  readonly stage: PendingStage;
  /** Epoch ms: restored in the order they were picked. */
  readonly addedAt: number;
  /** The picked file, or once prepared, the exact bytes of the original (or the whole photo). */
  readonly file: Blob;
  readonly prepared: PendingPrepared | null;
}

/** What changes with the stage, stored apart from the bytes. */
interface PendingMeta extends Omit<PendingUpload, 'file' | 'prepared'> {
  readonly prepared: { readonly name: string; readonly downscaled: boolean; readonly hasPreview: boolean } | null;
}

type BlobKind = 'file' | 'preview';

/** Small records change with the stage; the blobs are written once (a put would copy them again). */
interface PendingSchema extends DBSchema {
  uploads: { key: string; value: PendingMeta };
  blobs: { key: [string, BlobKind]; value: Blob };
}

/** The database's name; null keeps nothing (specs that do not test persistence). */
export const PENDING_UPLOADS_DB = new InjectionToken<string | null>('PENDING_UPLOADS_DB', {
  providedIn: 'root',
  factory: () => 'photobook-uploads',
});

/**
 * The guest's pending uploads in IndexedDB, so a reload, a killed tab or a restarted phone resumes
 * them. Every operation runs after the previous one (a delete never overtakes the save it follows)
 * and none ever throws: without IndexedDB (some private modes, a full disk) the queue simply lives
 * in the page, as before.
 */
@Injectable({ providedIn: 'root' })
export class PendingStore {
  private readonly name = inject(PENDING_UPLOADS_DB);
  private db: Promise<IDBPDatabase<PendingSchema> | null> | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  /** Every pending upload, oldest first; an entry whose bytes are missing is dropped. */
  list(): Promise<PendingUpload[]> {
    return this.run([], async (db) => {
      const tx = db.transaction(['uploads', 'blobs'], 'readwrite');
      const found: PendingUpload[] = [];
      for (const meta of await tx.objectStore('uploads').getAll()) {
        const file = await tx.objectStore('blobs').get([meta.clientUploadId, 'file']);
        const preview = meta.prepared?.hasPreview ? await tx.objectStore('blobs').get([meta.clientUploadId, 'preview']) : null;
        if (!file || preview === undefined) {
          await remove(tx, meta.clientUploadId);
          continue;
        }
        const prepared = meta.prepared && { name: meta.prepared.name, downscaled: meta.prepared.downscaled, preview };
        found.push({ ...meta, file, prepared });
      }
      await tx.done;
      return found.sort((a, b) => a.addedAt - b.addedAt);
    });
  }

  /** Writes the whole entry, bytes included: when the guest sends it, and once its bytes are fixed. */
  save(upload: PendingUpload): Promise<void> {
    return this.run(undefined, async (db) => {
      const tx = db.transaction(['uploads', 'blobs'], 'readwrite');
      const { file, prepared, ...rest } = upload;
      const id = upload.clientUploadId;
      const meta: PendingMeta = {
        ...rest,
        prepared: prepared && { name: prepared.name, downscaled: prepared.downscaled, hasPreview: prepared.preview !== null },
      };
      await tx.objectStore('uploads').put(meta);
      await tx.objectStore('blobs').put(file, [id, 'file']);
      if (prepared?.preview) await tx.objectStore('blobs').put(prepared.preview, [id, 'preview']);
      else await tx.objectStore('blobs').delete([id, 'preview']);
      await tx.done;
    });
  }

  /** The preview made the photo: only the original is left. No bytes are written again. */
  setStage(clientUploadId: string, stage: PendingStage): Promise<void> {
    return this.run(undefined, async (db) => {
      const tx = db.transaction('uploads', 'readwrite');
      const meta = await tx.store.get(clientUploadId);
      if (meta) await tx.store.put({ ...meta, stage });
      await tx.done;
    });
  }

  /** Its full copy is saved, the server refused it for good, or the guest removed it. */
  delete(clientUploadId: string): Promise<void> {
    return this.run(undefined, async (db) => {
      const tx = db.transaction(['uploads', 'blobs'], 'readwrite');
      await remove(tx, clientUploadId);
      await tx.done;
    });
  }

  /** Forgets everything (specs). */
  clear(): Promise<void> {
    return this.run(undefined, async (db) => {
      const tx = db.transaction(['uploads', 'blobs'], 'readwrite');
      await Promise.all([tx.objectStore('uploads').clear(), tx.objectStore('blobs').clear(), tx.done]);
    });
  }

  private run<T>(fallback: T, work: (db: IDBPDatabase<PendingSchema>) => Promise<T>): Promise<T> {
    const next = this.tail.then(async () => {
      const db = await this.open();
      if (!db) return fallback;
      try {
        return await work(db);
      } catch {
        return fallback; // quota, a blob the browser cannot store: the upload goes on in the page
      }
    });
    this.tail = next;
    return next;
  }

  private open(): Promise<IDBPDatabase<PendingSchema> | null> {
    this.db ??= this.connect();
    return this.db;
  }

  private async connect(): Promise<IDBPDatabase<PendingSchema> | null> {
    if (this.name === null || typeof indexedDB === 'undefined') return null;
    try {
      return await openDB<PendingSchema>(this.name, 1, {
        upgrade(db) {
          db.createObjectStore('uploads', { keyPath: 'clientUploadId' });
          db.createObjectStore('blobs');
        },
        // A newer version of the page wants to upgrade: step aside, this tab then keeps its queue in memory.
        blocking: () => {
          void this.db?.then((db) => db?.close());
          this.db = Promise.resolve(null);
        },
      });
    } catch {
      return null;
    }
  }
}

async function remove(tx: IDBPTransaction<PendingSchema, Array<'uploads' | 'blobs'>, 'readwrite'>, clientUploadId: string): Promise<void> {
  await tx.objectStore('uploads').delete(clientUploadId);
  await tx.objectStore('blobs').delete([clientUploadId, 'file']);
  await tx.objectStore('blobs').delete([clientUploadId, 'preview']);
}
