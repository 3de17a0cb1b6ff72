import { openDB, type DBSchema } from 'idb';

/**
 * Photos a guest shared to Photobook from the gallery (the manifest's share_target). The service
 * worker's share-target.js (client/public) writes each shared File as one record into this database
 * and store, in plain IndexedDB; keep the names and the version in step with it.
 */
export const SHARE_DB = 'photobook-share';
export const SHARE_STORE = 'inbox';

interface ShareInbox extends DBSchema {
  [SHARE_STORE]: { key: number; value: Blob };
}

/**
 * Takes the shared photos out of the inbox (read and clear in one transaction, so a second tab
 * cannot take them too). Empty when nothing was shared, or when storage is blocked or broken.
 */
export async function takeSharedFiles(): Promise<File[]> {
  try {
    const db = await openDB<ShareInbox>(SHARE_DB, 1, {
      upgrade: (database) => database.createObjectStore(SHARE_STORE, { autoIncrement: true }),
    });
    try {
      const tx = db.transaction(SHARE_STORE, 'readwrite');
      const [values] = await Promise.all([tx.store.getAll(), tx.store.clear(), tx.done]);
      return values
        .filter((value) => value instanceof Blob)
        .map((value, i) => (value instanceof File ? value : new File([value], `shared-photo-${i + 1}`, { type: value.type })));
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}
