/**
 * Guests' downloads (/p/:id/download) and the host's switch for them: the archive copy, the display
 * copy while there is none, never the upload as sent. Real server on port 0, on either store.
 */
import { collect } from '../../server/store/blob-body';
import { metadataBlocks } from '../fixtures/exif';
import { useServerWithGuests } from '../fixtures/server';
import { expectGone, share } from '../fixtures/shared-photos';

describe('guest downloads (/p/:id/download)', () => {
  const env = useServerWithGuests();
  const download = (id: string, init?: RequestInit) => fetch(`${env.server.url}/p/${id}/download`, init);

  it('serves the archive copy as an attachment once it is made: full size, no GPS, never the source', async () => {
    await env.server.app.settings.changeSettings({ title: 'Anna & Ben' });
    const { photo, sent } = await share(env);
    expect(metadataBlocks(sent)).withContext('the upload carried GPS').toContain('gps');
    await env.server.app.archive.idle();
    const original = await collect((await env.server.store.readVariant(photo.id, 'original'))!.body);
    const response = await download(photo.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="anna-ben-${photo.seq}.jpg"`);
    expect(response.headers.get('content-length')).toBe(String(original.length));
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.equals(original)).withContext('the original variant').toBeTrue();
    expect(bytes.equals(sent)).withContext('not the upload as sent').toBeFalse();
    expect(metadataBlocks(bytes)).not.toContain('gps');
    const part = await download(photo.id, { headers: { range: 'bytes=0-9' } });
    expect([part.status, part.headers.get('content-range')]).toEqual([206, `bytes 0-9/${original.length}`]);
    expect(Buffer.from(await part.arrayBuffer()).equals(original.subarray(0, 10))).toBeTrue();
  });

  it('serves the display image while the photo has no original yet, never the private source', async () => {
    await env.server.app.archive.stop();
    const { photo, sent } = await share(env);
    expect(await env.server.store.readVariant(photo.id, 'source')).withContext('the source is still held').not.toBeNull();
    expect(await env.server.store.readVariant(photo.id, 'original')).toBeNull();
    const response = await download(photo.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="photo-${photo.seq}.webp"`);
    const bytes = Buffer.from(await response.arrayBuffer());
    const display = await collect((await env.server.store.readVariant(photo.id, 'display'))!.body);
    expect(bytes.equals(display)).toBeTrue();
    expect(bytes.equals(sent)).toBeFalse();
    expect(metadataBlocks(bytes)).toEqual([]);
  });

  it('names a download after a title in any script (RFC 6266 and 5987)', async () => {
    await env.server.app.settings.changeSettings({ title: 'Zoë & 李 2026' });
    const { photo } = await share(env);
    await env.server.app.archive.idle();
    const disposition = (await download(photo.id, { method: 'HEAD' })).headers.get('content-disposition');
    expect(disposition).toBe(`attachment; filename="zoe-2026-${photo.seq}.jpg"; filename*=UTF-8''zo%C3%AB-%E6%9D%8E-2026-${photo.seq}.jpg`);
  });

  it('answers 404 while downloads are off, and for a hidden, removed or unknown photo', async () => {
    const { app } = env.server;
    const { photo } = await share(env);
    expect((await download(photo.id)).status).toBe(200);
    await app.settings.changeSettings({ guestDownloads: false });
    await expectGone(`${env.server.url}/p/${photo.id}/download`, 'downloads off');
    expect((await fetch(`${env.server.url}/p/${photo.id}`)).status).withContext('the page stays').toBe(200);
    expect(await (await fetch(`${env.server.url}/p/${photo.id}`)).text()).withContext('and offers no download').not.toContain('/download');
    await app.settings.changeSettings({ guestDownloads: true });
    expect(await (await fetch(`${env.server.url}/p/${photo.id}`)).text()).toContain(`href="/p/${photo.id}/download"`);
    await app.photos.moderate({ id: photo.id, state: 'hidden' });
    await expectGone(`${env.server.url}/p/${photo.id}/download`, 'hidden');
    await app.photos.moderate({ id: photo.id, state: 'visible' });
    await app.photos.remove({ kind: 'host' }, { id: photo.id });
    await expectGone(`${env.server.url}/p/${photo.id}/download`, 'removed');
    await expectGone(`${env.server.url}/p/noSuchPhoto123/download`, 'unknown');
  });

  it('answers HEAD with the size and no body', async () => {
    const { photo } = await share(env);
    await env.server.app.archive.idle();
    const original = (await env.server.store.getPhoto(photo.id))!.variants.find((v) => v.kind === 'original')!;
    const head = await download(photo.id, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, String(original.bytes), '']);
  });
});
