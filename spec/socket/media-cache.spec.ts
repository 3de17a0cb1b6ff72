/**
 * Public images are served from a cache of key -> file (issue 25): a photo that leaves the wall must
 * stop being served at once all the same, however hot its images were.
 */
import type { AdminPhotoDto, PhotoDto } from '@photobook/shared';
import { noisyJpeg } from '../fixtures/hostile-files';
import { ask, openConsole, type ConsoleSocket } from '../fixtures/replica-screens';
import { connectClient, guestCookie, request, startTestServer, uploadFile, type TestServer, type TestSocket } from '../fixtures/server';

const PASSWORD = 'media-cache-spec-password';

describe('Public images served from the media cache', () => {
  let server: TestServer;
  let host: ConsoleSocket;
  let guest: TestSocket;

  beforeEach(async () => {
    server = await startTestServer({ adminPassword: PASSWORD });
    host = await openConsole(server.url, PASSWORD);
    guest = await connectClient(server.url, { cookie: guestCookie().cookie });
  });

  afterEach(async () => {
    host.close();
    guest.disconnect();
    await server.close();
  });

  /** Uploads a photo and fetches its images a few times, so both are hot in the cache. */
  async function hotPhoto(width: number): Promise<{ photo: PhotoDto; urls: string[] }> {
    const sent = await uploadFile(guest, await noisyJpeg(width, 90));
    if (!sent.ok) throw new Error(sent.error.code);
    const urls = [sent.value.thumbUrl, sent.value.displayUrl].map((u) => new URL(u, server.url).href);
    for (let i = 0; i < 3; i++) {
      for (const url of urls) {
        const response = await fetch(url);
        expect(response.status).withContext(url).toBe(200);
        await response.arrayBuffer();
      }
    }
    return { photo: sent.value, urls };
  }

  async function statuses(urls: readonly string[]): Promise<number[]> {
    return Promise.all(urls.map(async (url) => (await fetch(url)).status));
  }

  it('answers 404 for a hot image the moment the host hides its photo, and 200 again once shown', async () => {
    const { photo, urls } = await hotPhoto(120);
    const hidden = await ask<AdminPhotoDto>(host, 'admin:moderate', { id: photo.id, state: 'hidden' });
    expect(hidden.ok).toBeTrue();
    expect(await statuses(urls)).withContext('no wait: right after the host heard "hidden"').toEqual([404, 404]);
    expect((await ask<AdminPhotoDto>(host, 'admin:moderate', { id: photo.id, state: 'visible' })).ok).toBeTrue();
    expect(await statuses(urls)).toEqual([200, 200]);
  });

  it('answers 404 for a hot image at once when the host holds its photo back (approval revoked)', async () => {
    const { photo, urls } = await hotPhoto(128);
    expect((await ask<AdminPhotoDto>(host, 'admin:moderate', { id: photo.id, state: 'pending' })).ok).toBeTrue();
    expect(await statuses(urls)).toEqual([404, 404]);
  });

  it('answers 404 for a hot image at once when its owner deletes the photo', async () => {
    const { photo, urls } = await hotPhoto(136);
    expect((await request(guest, 'photo:remove', { id: photo.id })).ok).toBeTrue();
    expect(await statuses(urls)).toEqual([404, 404]);
  });

  it('keeps nosniff, the CSP and the immutable cache headers on a cached image', async () => {
    const { urls } = await hotPhoto(144);
    const response = await fetch(urls[0]!);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toBe('image/webp');
  });
});
