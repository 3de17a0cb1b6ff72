/// <reference lib="dom" />
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { launchChromium } from '../fixtures/browser';
import { CutProxy } from '../fixtures/cut-proxy';
import { filesUnder, startTestServer, type TestServer } from '../fixtures/server';

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
  let browser: Browser;
  let defaultTimeout: number;
  let problems: string[];

  beforeAll(async () => {
    defaultTimeout = jasmine.DEFAULT_TIMEOUT_INTERVAL;
    jasmine.DEFAULT_TIMEOUT_INTERVAL = 90_000;
    browser = await launchChromium();
  });
  afterAll(async () => {
    jasmine.DEFAULT_TIMEOUT_INTERVAL = defaultTimeout;
    await browser?.close();
  });
  beforeEach(async () => {
    problems = [];
    server = await startTestServer({ config: { staticDir: CLIENT_DIR } });
    proxy = await CutProxy.start(server.url);
  });
  afterEach(async () => {
    expect(problems).withContext('browser errors').toEqual([]);
    await proxy.close();
    await server.close();
  });

  async function openPage(base: string, route: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.on('pageerror', (e) => problems.push(`[${route}] ${e.message}`));
    page.on('console', (m) => {
      // A cut connection makes Chromium log failed requests and sockets: that is the point here.
      if (m.type() === 'error' && !/Failed to load resource|WebSocket connection|ERR_CONNECTION|net::ERR/.test(m.text())) {
        problems.push(`[${route}] ${m.text()}`);
      }
    });
    await page.goto(base + route);
    return page;
  }

  it('finishes all 3 photos after the connection is cut mid-upload, each on the wall exactly once', async () => {
    const wall = await openPage(server.url, '/');
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
    const partsDir = path.join(server.dataDir, 'uploads');
    for (let i = 0; i < 500 && (await filesUnder(partsDir)).length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    proxy.cut(1_500);
    const cutAt = Date.now();
    const bytesAtCut = proxy.upstreamBytes;
    const storedAtCut = (await server.store.listPhotos(10)).length;
    const partsAtCut = (await filesUnder(partsDir)).length;
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
    expect(await filesUnder(path.join(server.dataDir, 'uploads'))).withContext('no partial upload left').toEqual([]);
  });
});
