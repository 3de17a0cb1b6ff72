import { TestBed } from '@angular/core/testing';
import { CHUNK_SIZE } from '@photobook/shared';
import { flush } from '../../testing/fake-socket';
import { patternBytes } from '../../testing/fake-upload-server';
import { UploadPageHarness, bigJpeg, gate } from '../../testing/upload-page-harness';
import type { PendingUpload } from './pending-store';
import { UploadService } from './upload.service';

/** Pending uploads outlive the page (UP27): a reload, a killed tab or a restart resumes them. */
describe('UploadPage after a reload', () => {
  let page: UploadPageHarness;

  beforeEach(async () => {
    page = new UploadPageHarness('photobook-uploads-restore-spec');
    await page.cleanUp();
  });

  afterEach(async () => {
    await page.cleanUp();
  });

  const done = () => page.qa('upload-done').length;
  const id = 'RRRRRRRRRRRRRRRRRRRRRR';

  function pending(overrides: Partial<PendingUpload> = {}): PendingUpload {
    return {
      clientUploadId: id,
      name: 'IMG_0001.jpg',
      type: 'image/jpeg',
      caption: 'First dance',
      author: 'Ana',
      stage: 'new',
      addedAt: 1,
      file: new Blob([patternBytes(1_300_000)], { type: 'image/jpeg' }),
      prepared: null,
      ...overrides,
    };
  }

  it('resumes an original cut off by a reload from the server offset: nothing aborted, no second photo', async () => {
    // The first visit: the preview goes, the original gets one chunk in, then the tab is gone.
    const size = 5 * CHUNK_SIZE;
    page.server.intercept = (event, payload) =>
      event === 'upload:chunk' && page.server.uploads.get(payload.uploadId)?.part === 'original' && payload.offset > 0
        ? new Promise(() => undefined)
        : undefined;
    await page.render();
    await page.pick(bigJpeg('a.jpg', size));
    await page.tapUpload();
    await page.until('one chunk of the original held', () =>
      [...page.server.uploads.values()].some((u) => u.part === 'original' && u.offset === CHUNK_SIZE),
    );
    page.fixture.destroy();
    await flush();
    expect(page.server.aborted).withContext('the server keeps the bytes it holds').toEqual([]);

    // The next visit.
    page.server.intercept = null;
    const chunksBefore = page.socket.requests('upload:chunk').length;
    const held = gate();
    const serve = page.server.handle;
    page.socket.handler = async (event, payload) => {
      if (event === 'upload:begin') await held.opened;
      return serve(event, payload);
    };
    await page.render();
    await page.until('the restored row', () => page.rows().length === 1);
    expect(page.text(page.q('restored-banner'))).toBe('Picking up where you left off: 1 photo from before is still on its way.');
    expect(page.q('upload-on-wall')).withContext('it reached the wall last time').not.toBeNull();

    held.open();
    await page.until('saved', () => done() === 1);
    const resumed = page.socket.requests('upload:chunk').slice(chunksBefore);
    expect(resumed.map((c) => c.offset)).toEqual([1, 2, 3, 4].map((i) => i * CHUNK_SIZE));
    expect(page.begins().map(([part]) => part)).toEqual(['preview', 'original', 'original']);
    expect([...page.server.uploads.values()].filter((u) => u.photo).map((u) => u.photo!.id)).toEqual(['photo2xx', 'photo2xx']);
    expect(page.q('restored-banner')).toBeNull();
    expect(await page.store.list()).toEqual([]);
  });

  it('sends the same preview bytes kept from before, with the caption and name the guest gave then', async () => {
    const preview = new Blob([patternBytes(40_000)], { type: 'image/jpeg' });
    await page.store.save(pending({ prepared: { name: 'IMG_0001.jpg', downscaled: false, preview } }));
    await page.render();
    await page.until('saved', () => done() === 1);

    expect(page.previewsMade).withContext('no second preview made').toEqual([]);
    expect(page.begins()).toEqual([
      ['preview', id, 40_000],
      ['original', id, 1_300_000],
    ]);
    const begin = page.socket.requests('upload:begin')[0];
    expect([begin.caption, begin.author, begin.name]).toEqual(['First dance', 'Ana', 'IMG_0001.jpg']);
    expect(page.server.chunkBytesReceived).toBe(40_000 + 1_300_000);
  });

  it('makes no second photo when the tab was killed just after its preview became one', async () => {
    const preview = new Blob([patternBytes(40_000)], { type: 'image/jpeg' });
    const made = await TestBed.inject(UploadService).upload({ file: preview, name: 'IMG_0001.jpg', clientUploadId: id, caption: '', author: 'Ana', part: 'preview' });
    await page.store.save(pending({ prepared: { name: 'IMG_0001.jpg', downscaled: false, preview } }));
    const chunksBefore = page.server.chunkBytesReceived;
    await page.render();
    await page.until('saved', () => done() === 1);

    expect(page.server.chunkBytesReceived - chunksBefore).withContext('only the original').toBe(1_300_000);
    expect(made.kind === 'done' && page.server.photoOf(id)?.id === made.photo.id).toBeTrue();
    expect(page.server.uploads.size).toBe(2); // the preview and its original: one photo
  });

  it('lists a photo from before that had not been prepared and sends it like a new one', async () => {
    await page.store.save(pending());
    await page.render();
    await page.until('saved', () => done() === 1);
    expect(page.previewsMade.length).toBe(1);
    expect(page.begins().map(([part]) => part)).toEqual(['preview', 'original']);
    expect(page.rows()[0]!.querySelector('textarea')?.value).toBe('First dance');
    expect(page.text(page.q('upload-done'))).toContain('saved in full quality');
  });

  it('ends quietly when the photo was deleted meanwhile (ORIGINAL_MISMATCH on the resumed original)', async () => {
    const preview = new Blob([patternBytes(40_000)], { type: 'image/jpeg' });
    await page.store.save(pending({ stage: 'shown', prepared: { name: 'IMG_0001.jpg', downscaled: false, preview } }));
    await page.render();
    await page.until('finished', () => done() === 1);
    expect(page.text(page.q('upload-done'))).toBe('✓ On the wall');
    expect(page.q('upload-note')).not.toBeNull();
    expect(page.qa('upload-error')).toEqual([]);
    expect(await page.store.list()).toEqual([]);
  });

  it('forgets a photo the guest removes, so the next visit does not send it', async () => {
    const held = gate();
    const serve = page.server.handle;
    page.socket.handler = async (event, payload) => {
      if (event === 'upload:begin') await held.opened;
      return serve(event, payload);
    };
    await page.render();
    await page.pick(bigJpeg('a.jpg'));
    await page.tapUpload();
    await page.until('on its way', () => page.rows()[0]?.getAttribute('data-status') === 'uploading');
    expect((await page.store.list()).length).toBe(1);

    page.q('remove-button')!.click();
    await page.settle();
    expect(await page.store.list()).toEqual([]);
    held.open();
    page.fixture.destroy();
    await page.render();
    await page.settle();
    expect(page.rows()).toEqual([]);
  });

  it('makes one photo when two tabs resume the same pending upload at once (same clientUploadId)', async () => {
    await page.store.save(pending());
    const first = await page.render();
    const second = await page.render();
    const doneIn = (root: HTMLElement) => page.qa('upload-done', root).length;
    await page.until('both tabs done', () => doneIn(first) === 1 && doneIn(second) === 1);
    expect(page.server.uploads.size).withContext('one preview and one original').toBe(2);
    expect(new Set([...page.server.uploads.values()].map((u) => u.photo?.id)).size).toBe(1);

    await page.render();
    await page.settle();
    expect(page.rows()).withContext('nothing left to restore').toEqual([]);
  });
});
