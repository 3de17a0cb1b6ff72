import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { PENDING_UPLOADS_DB, PendingStore, type PendingUpload } from './pending-store';

const DB = 'photobook-uploads-pending-store-spec';

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

describe('PendingStore (real IndexedDB)', () => {
  let store: PendingStore;

  beforeEach(async () => {
    await deleteDatabase(DB);
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: PENDING_UPLOADS_DB, useValue: DB }] });
    store = TestBed.inject(PendingStore);
  });

  afterEach(async () => {
    await store.clear();
  });

  function upload(id: string, overrides: Partial<PendingUpload> = {}): PendingUpload {
    return {
      clientUploadId: id.padEnd(22, 'A'),
      name: `${id}.jpg`,
      type: 'image/jpeg',
      caption: 'Cake!',
      author: 'Ana',
      stage: 'new',
      addedAt: 1,
      file: new Blob(['picked bytes'], { type: 'image/jpeg' }),
      prepared: null,
      ...overrides,
    };
  }

  it('keeps the file, caption, name and stage, oldest first', async () => {
    await store.save(upload('b', { addedAt: 2 }));
    await store.save(upload('a', { addedAt: 1, caption: 'First dance 💃' }));
    const listed = await store.list();
    expect(listed.map((p) => [p.name, p.caption, p.author, p.stage])).toEqual([
      ['a.jpg', 'First dance 💃', 'Ana', 'new'],
      ['b.jpg', 'Cake!', 'Ana', 'new'],
    ]);
    expect(await listed[0]!.file.text()).toBe('picked bytes');
    expect(listed[0]!.file.type).toBe('image/jpeg');
  });

  it('keeps the prepared bytes and the preview, so a resume sends exactly the same bytes', async () => {
    const preview = new Blob(['preview bytes'], { type: 'image/jpeg' });
    const original = new Blob(['smaller copy'], { type: 'image/jpeg' });
    await store.save(upload('a', { file: original, prepared: { name: 'a.jpg', downscaled: true, preview } }));
    const [kept] = await store.list();
    expect(await kept!.file.text()).toBe('smaller copy');
    expect(await kept!.prepared!.preview!.text()).toBe('preview bytes');
    expect(kept!.prepared).toEqual(jasmine.objectContaining({ name: 'a.jpg', downscaled: true }));

    await store.save(upload('a', { file: original, prepared: { name: 'a.jpg', downscaled: false, preview: null } }));
    expect((await store.list())[0]!.prepared!.preview).toBeNull();
  });

  it('moves an upload to the next stage without losing its bytes', async () => {
    await store.save(upload('a', { prepared: { name: 'a.jpg', downscaled: false, preview: new Blob(['p']) } }));
    await store.setStage(upload('a').clientUploadId, 'shown');
    const [kept] = await store.list();
    expect(kept!.stage).toBe('shown');
    expect(await kept!.prepared!.preview!.text()).toBe('p');
  });

  it('forgets a deleted upload, even when the delete is asked for before its save finished', async () => {
    const { clientUploadId } = upload('a');
    void store.save(upload('a'));
    void store.setStage(clientUploadId, 'shown');
    await store.delete(clientUploadId);
    await store.save(upload('b'));
    expect((await store.list()).map((p) => p.name)).toEqual(['b.jpg']);
  });

  it('keeps nothing, quietly, without a database (private mode): the queue then lives in the page', async () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: PENDING_UPLOADS_DB, useValue: null }] });
    const memoryOnly = TestBed.inject(PendingStore);
    await memoryOnly.save(upload('a'));
    await memoryOnly.setStage(upload('a').clientUploadId, 'shown');
    expect(await memoryOnly.list()).toEqual([]);
    await expectAsync(memoryOnly.delete(upload('a').clientUploadId)).toBeResolved();
  });
});
