import { SHARE_DB, SHARE_STORE, takeSharedFiles } from './share-inbox';

/** Writes records the way the service worker's share-target.js does: plain IndexedDB, one per file. */
function shareLikeTheServiceWorker(values: readonly unknown[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(SHARE_DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(SHARE_STORE, { autoIncrement: true });
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(SHARE_STORE, 'readwrite');
      for (const value of values) tx.objectStore(SHARE_STORE).add(value);
      tx.oncomplete = () => (db.close(), resolve());
      tx.onerror = () => (db.close(), reject(tx.error));
    };
  });
}

function deleteInbox(): Promise<void> {
  return new Promise((resolve, reject) => {
    const deleting = indexedDB.deleteDatabase(SHARE_DB);
    deleting.onsuccess = () => resolve();
    deleting.onerror = () => reject(deleting.error);
  });
}

describe('takeSharedFiles', () => {
  beforeEach(deleteInbox);
  afterAll(deleteInbox);

  it('finds nothing when nothing was shared', async () => {
    expect(await takeSharedFiles()).toEqual([]);
  });

  it('hands over the shared photos in the order they were shared, with their names, types and bytes', async () => {
    await shareLikeTheServiceWorker([
      new File([new Uint8Array([0xff, 0xd8, 0xff])], 'IMG_0001.jpg', { type: 'image/jpeg' }),
      new File([new Uint8Array([0x89, 0x50])], 'Screenshot.png', { type: 'image/png' }),
    ]);
    const files = await takeSharedFiles();
    expect(files.map((f) => [f.name, f.type, f.size])).toEqual([
      ['IMG_0001.jpg', 'image/jpeg', 3],
      ['Screenshot.png', 'image/png', 2],
    ]);
    expect([...new Uint8Array(await files[0]!.arrayBuffer())]).toEqual([0xff, 0xd8, 0xff]);
  });

  it('empties the inbox, so the same photos are never queued twice', async () => {
    await shareLikeTheServiceWorker([new File(['x'], 'a.jpg', { type: 'image/jpeg' })]);
    expect((await takeSharedFiles()).length).toBe(1);
    expect(await takeSharedFiles()).toEqual([]);
  });

  it('names a bare blob and skips a record that is no file at all', async () => {
    await shareLikeTheServiceWorker([new Blob(['x'], { type: 'image/webp' }), 'not a file']);
    const files = await takeSharedFiles();
    expect(files.map((f) => [f.name, f.type])).toEqual([['shared-photo-1', 'image/webp']]);
  });
});
