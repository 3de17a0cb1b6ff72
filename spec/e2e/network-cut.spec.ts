/// <reference lib="dom" />
import path from 'node:path';
import sharp from 'sharp';
import { useBrowser } from '../fixtures/browser';
import { CutProxy } from '../fixtures/cut-proxy';
import { startTestServer, type TestServer } from '../fixtures/server';

const CLIENT_DIR = path.resolve('dist/client/browser');

/** A photo-sized JPEG (~1 MB: noise does not compress), different for each seed. */
async function noisyPhoto(seed: number): Promise<Buffer> {
  const width = 1000;
  const height = 750;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * (7919 + seed) + (i >> 6) * 104729) % 253;
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

describe('uploads survive a dropped connection (end to end, headless Chromium)', () => {
  let server: TestServer;
  let proxy: CutProxy;
  // A cut connection makes Chromium log failed requests and sockets: that is the point here.
  const chromium = useBrowser({ timeoutMs: 90_000, tolerated: /Failed to load resource|WebSocket connection|net::ERR/ });
  const openPage = (base: string, route: string) => chromium.openPage(base, route);

  beforeEach(async () => {
    server = await startTestServer({ config: { staticDir: CLIENT_DIR } });
    proxy = await CutProxy.start(server.url);
  });
  afterEach(async () => {
    await proxy.close();
    await server.close();
  });

  it('finishes all 3 photos after the connection is cut mid-upload, each on the wall exactly once', async () => {
    const wall = await openPage(server.url, '/?layout=mosaic');
    await wall.getByTestId('wall-empty').waitFor({ timeout: 10_000 });
    const photos = await Promise.all([1, 2, 3].map(noisyPhoto));
    const total = photos.reduce((sum, p) => sum + p.length, 0);

    const guest = await openPage(proxy.url, '/upload');
    await guest.getByTestId('author-input').fill('Ana');
    await guest.getByTestId('file-input').setInputFiles(
      photos.map((buffer, i) => ({ name: `IMG_000${i + 1}.jpg`, mimeType: 'image/jpeg', buffer })),
    );
    await guest.getByTestId('upload-item').nth(2).waitFor();
    const connectionsBefore = proxy.connections;
    const midway = proxy.afterUpstreamBytes(Math.floor(total / 3));
    await guest.getByTestId('upload-button').click();

    await midway;
    // The server runs in this process: let it take in what the proxy forwarded before the cut.
    for (let i = 0; i < 500 && (await server.partialPieces()) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    proxy.cut(1_500);
    const cutAt = Date.now();
    const bytesAtCut = proxy.upstreamBytes;
    const storedAtCut = (await server.store.listPhotos(10)).length;
    const partsAtCut = await server.partialPieces();
    console.log(`\n  cut after ${proxy.upstreamBytes} of ${total} bytes: ${storedAtCut} photos stored, ${partsAtCut} partial uploads`);
    expect(storedAtCut).withContext('photos stored when the connection dropped').toBeLessThan(3);
    expect(partsAtCut).withContext('uploads in progress when the connection dropped').toBeGreaterThan(0);

    await guest.locator('[data-testid="upload-done"]').nth(2).waitFor({ timeout: 60_000 });
    const resent = proxy.upstreamBytes - bytesAtCut;
    console.log(`  all 3 done ${Date.now() - cutAt} ms after the cut; ${resent} bytes sent after it`);
    expect(resent).withContext('resumed from the server offset rather than starting over').toBeLessThan(total);
    expect(await guest.getByTestId('upload-error').count()).toBe(0);
    expect(proxy.connections).withContext('the page reconnected').toBeGreaterThan(connectionsBefore);

    const stored = await server.store.listPhotos(10);
    expect(stored.length).toBe(3);
    await wall.waitForFunction(() => document.querySelectorAll('[data-testid="wall-photo"]').length >= 3, undefined, { timeout: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 500)); // a duplicate broadcast would have landed by now
    const onWall = await wall.getByTestId('wall-photo').evaluateAll((els) => els.map((e) => e.getAttribute('data-photo-id')));
    expect(onWall.length).toBe(3);
    expect(new Set(onWall)).toEqual(new Set(stored.map((p) => p.id)));
    expect(await server.partialPieces()).withContext('no partial upload left').toBe(0);
  });
});
