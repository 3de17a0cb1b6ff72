import { CHUNK_SIZE, ErrorCode, PREVIEW_ABOVE_BYTES, err, ok } from '@photobook/shared';
import { patternBytes } from '../../testing/fake-upload-server';
import { FAKE_PREVIEW_BYTES, UploadPageHarness, bigJpeg, gate } from '../../testing/upload-page-harness';
import { photo } from '../../testing/fake-socket';

/** The guest's page sends a preview first, then the original (spec/UPLOAD-PROTOCOL.md, UP22 to UP27). */
describe('UploadPage, preview first', () => {
  let page: UploadPageHarness;

  beforeEach(async () => {
    page = new UploadPageHarness();
    await page.cleanUp();
  });

  afterEach(async () => {
    await page.cleanUp();
  });

  const done = () => page.qa('upload-done').length;
  const idOf = (name: string) => page.socket.requests('upload:begin').find((b) => b.name === name)?.clientUploadId as string;

  it("UP27: puts every photo on the wall from its preview before any original goes, then saves each in full quality", async () => {
    await page.render();
    const size = 5 * CHUNK_SIZE + 17;
    await page.pick(bigJpeg('a.jpg', size), bigJpeg('b.jpg', size), bigJpeg('c.jpg', size));
    await page.tapUpload();
    await page.until('all three saved', () => done() === 3);

    const [a, b, c] = ['a.jpg', 'b.jpg', 'c.jpg'].map(idOf);
    expect(page.begins()).toEqual([
      ['preview', a!, FAKE_PREVIEW_BYTES],
      ['preview', b!, FAKE_PREVIEW_BYTES],
      ['preview', c!, FAKE_PREVIEW_BYTES],
      ['original', a!, size],
      ['original', b!, size],
      ['original', c!, size],
    ]);
    // One photo each, and each original arrived whole as its full copy.
    const photos = [a, b, c].map((id) => page.server.photoOf(id!)?.id);
    expect(new Set(photos).size).toBe(3);
    const originals = [...page.server.uploads.values()].filter((u) => u.part === 'original');
    expect(originals.map((u) => u.photo?.id)).toEqual(photos);
    const expected = patternBytes(size);
    // Compared without toEqual: Jasmine's diff of two large byte arrays can stall the browser.
    expect(originals.every((u) => u.bytes.every((byte, i) => byte === expected[i]))).toBeTrue();

    for (const row of page.rows()) expect(page.text(page.q('upload-done', row))).toBe('✓ On the wall · saved in full quality');
    expect(page.text(page.q('upload-success'))).toContain('Your photos are on the wall');
    expect((page.qa('upload-progress')[0] as HTMLProgressElement).value).toBe(100);
    expect(await page.store.list()).withContext('nothing left pending').toEqual([]);
  });

  it('says "On the wall" while the full-quality copy follows, then "saved in full quality"', async () => {
    const held = gate();
    const serve = page.server.handle;
    page.socket.handler = async (event, payload) => {
      if (event === 'upload:begin' && payload.part === 'original') await held.opened;
      return serve(event, payload);
    };
    page.previewMaker = async (photo) => photo.slice(0, 300_000, 'image/jpeg');
    await page.render();
    await page.pick(bigJpeg('a.jpg', 1_200_000));
    await page.tapUpload();
    await page.until('the preview on the wall', () => page.q('upload-on-wall') !== null);

    const [row] = page.rows();
    expect(page.text(page.q('upload-on-wall', row))).toBe('✓ On the wall');
    expect(page.text(row!.querySelector('.state:not(.done)') as HTMLElement)).toMatch(/^Saving in full quality… \d+%$/);
    expect(page.q('upload-done')).toBeNull();
    expect(page.q('remove-button')).withContext('a photo on the wall keeps going').toBeNull();
    expect((page.q('upload-progress') as HTMLProgressElement).value).withContext('the preview is a fifth of the bytes').toBe(20);
    expect(page.text(page.q('upload-shown'))).toContain(
      'Your photos are on the wall Saving the full-quality copy for the host (1 to go). Please keep this page open a moment.',
    );
    expect(page.q('upload-success')).toBeNull();
    expect((await page.store.list()).map((p) => p.stage)).toEqual(['shown']);

    held.open();
    await page.until('the full copy saved', () => done() === 1);
    expect(page.text(page.q('upload-done'))).toBe('✓ On the wall · saved in full quality');
    expect(page.q('upload-shown')).toBeNull();
    expect(page.q('upload-success')).not.toBeNull();
  });

  it('says "Sent, waiting for the host" when the host approves photos first', async () => {
    await page.render();
    page.socket.serverSettings({ approvalRequired: true });
    await page.pick(bigJpeg('a.jpg'));
    await page.tapUpload();
    await page.until('saved', () => done() === 1);
    expect(page.text(page.q('upload-done'))).toBe('✓ Sent, waiting for the host · saved in full quality');
    expect(page.text(page.q('upload-success'))).toContain('Your photos are in');
  });

  it('sends small photos and GIFs whole, without making a preview', async () => {
    await page.render();
    const gif = new File([patternBytes(PREVIEW_ABOVE_BYTES + 10)], 'dance.gif', { type: 'image/gif' });
    await page.pick(bigJpeg('small.jpg', PREVIEW_ABOVE_BYTES), gif);
    await page.tapUpload();
    await page.until('both done', () => done() === 2);
    expect(page.begins().map(([part, , size]) => [part, size])).toEqual([
      ['whole', PREVIEW_ABOVE_BYTES],
      ['whole', PREVIEW_ABOVE_BYTES + 10],
    ]);
    expect(page.socket.requests('upload:begin').some((b) => 'part' in b)).toBeFalse();
    expect(page.previewsMade).toEqual([]);
  });

  it('sends the photo whole when its preview would not be smaller', async () => {
    page.previewMaker = async (photo) => new Blob([new Uint8Array(photo.size + 1)], { type: 'image/jpeg' });
    await page.render();
    await page.pick(bigJpeg('a.jpg'));
    await page.tapUpload();
    await page.until('done', () => done() === 1);
    expect(page.begins().map(([part]) => part)).toEqual(['whole']);
    expect(page.previewsMade.length).toBe(1);
  });

  it('UP24: keeps the photo on the wall with a gentle word when the server will not take the original', async () => {
    page.server.intercept = (event, payload) =>
      event === 'upload:commit' && page.server.uploads.get(payload.uploadId)?.part === 'original'
        ? err(ErrorCode.OriginalMismatch, 'Another shape.')
        : undefined;
    await page.render();
    await page.pick(bigJpeg('a.jpg'));
    await page.tapUpload();
    await page.until('finished', () => done() === 1);

    expect(page.text(page.q('upload-done'))).toBe('✓ On the wall');
    expect(page.text(page.q('upload-note'))).toBe(
      'The full-quality copy didn’t match the photo on the wall, so the wall keeps the photo as it is.',
    );
    expect(page.qa('upload-error')).toEqual([]);
    expect(page.rows()[0]!.getAttribute('data-status')).toBe('done');
    expect(page.socket.requests('upload:commit').length).withContext('no retry').toBe(2);
    expect(await page.store.list()).toEqual([]);
  });

  it('keeps the photo on the wall, with a gentle word, when the server refuses the original for another lasting reason', async () => {
    page.server.intercept = (event, payload) =>
      event === 'upload:commit' && page.server.uploads.get(payload.uploadId)?.part === 'original'
        ? err(ErrorCode.TooManyPixels, 'Too many pixels.')
        : undefined;
    await page.render();
    await page.pick(bigJpeg('a.jpg'));
    await page.tapUpload();
    await page.until('finished', () => done() === 1);
    expect(page.text(page.q('upload-done'))).toBe('✓ On the wall');
    expect(page.text(page.q('upload-note'))).toBe('The full-quality copy couldn’t be saved, so the wall keeps the photo as it is.');
    expect(page.qa('upload-error')).toEqual([]);
  });

  it("UP24: ends the original without sending a byte when begin says the full copy is saved already", async () => {
    page.server.intercept = (event, payload) =>
      event === 'upload:begin' && payload.part === 'original' ? ok({ state: 'committed', photo: photo(9) }) : undefined;
    await page.render();
    await page.pick(bigJpeg('a.jpg'));
    await page.tapUpload();
    await page.until('saved', () => done() === 1);
    expect(page.text(page.q('upload-done'))).toBe('✓ On the wall · saved in full quality');
    expect([...page.server.uploads.values()].map((u) => u.part)).toEqual(['preview']);
  });

  it('retries an original that failed for a network reason with the next tap, without sending the preview again', async () => {
    let failing = true;
    page.server.intercept = (event, payload) =>
      event === 'upload:begin' && payload.part === 'original' && failing ? err(ErrorCode.Internal, 'Disk hiccup.') : undefined;
    await page.render();
    await page.pick(bigJpeg('a.jpg'));
    await page.tapUpload();
    await page.until('the original failed', () => page.q('upload-error') !== null);
    expect(page.q('upload-on-wall')).not.toBeNull();
    expect(page.text(page.q('upload-button'))).toBe('Upload 1 photo');
    expect((await page.store.list()).map((p) => p.stage)).withContext('kept for the next try').toEqual(['shown']);

    failing = false;
    await page.tapUpload();
    await page.until('saved', () => done() === 1);
    expect(page.begins().map(([part]) => part)).toEqual(['preview', 'original', 'original', 'original']);
  });

  it("lets a photo picked while originals are on their way go before the remaining originals", async () => {
    const held = gate();
    const serve = page.server.handle;
    page.socket.handler = async (event, payload) => {
      if (event === 'upload:begin' && payload.part === 'original') await held.opened;
      return serve(event, payload);
    };
    await page.render();
    await page.pick(bigJpeg('a.jpg'), bigJpeg('b.jpg'));
    await page.tapUpload();
    await page.until('both on the wall', () => page.qa('upload-on-wall').length === 2);

    await page.pick(bigJpeg('late.jpg'));
    expect(page.text(page.q('upload-button'))).toBe('Upload 1 photo');
    await page.tapUpload();
    await page.until('the late photo on the wall', () => page.qa('upload-on-wall').length === 3);
    expect(page.begins().map(([part]) => part)).toEqual(['preview', 'preview', 'original', 'preview']);

    held.open();
    await page.until('all saved', () => done() === 3);
    expect(page.begins().map(([part]) => part)).toEqual(['preview', 'preview', 'original', 'preview', 'original', 'original']);
  });

  it('waits while the phone is offline, says so, and sends at once when it is back online', async () => {
    await page.render();
    page.network.set(false);
    await page.pick(bigJpeg('a.jpg'));
    await page.tapUpload();
    await page.until('the offline line', () => page.q('upload-offline') !== null);

    expect(page.text(page.q('offline-banner'))).toContain('go out by themselves as soon as it is back online');
    expect(page.socket.sent).toEqual([]);
    expect(page.qa('upload-error')).toEqual([]);

    page.network.set(true);
    await page.until('saved', () => done() === 1);
    expect(page.q('offline-banner')).toBeNull();
  });
});
