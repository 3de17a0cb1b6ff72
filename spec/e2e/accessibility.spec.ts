/// <reference lib="dom" />
import path from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import sharp from 'sharp';
import { expectNoViolations } from '../fixtures/axe';
import { useBrowser } from '../fixtures/browser';
import { textOverPhotos } from '../fixtures/contrast';
import { noisyJpeg } from '../fixtures/hostile-files';
import { connectClient, startTestServer, uploadFile, type TestServer } from '../fixtures/server';

const CLIENT_DIR = path.resolve('dist/client/browser');
/** A guest's phone (an iPhone 13's CSS pixels) and the projector. */
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const PROJECTOR: BrowserContextOptions = { viewport: { width: 1920, height: 1080 } };

/** Real JPEGs, each its own image (media is stored by content hash). */
const photo = async (i: number) => ({ name: `IMG_00${i}.jpg`, mimeType: 'image/jpeg', buffer: await noisyJpeg(640 + 8 * i, 480) });

/** Until every image on the page has loaded and decoded, so axe (and a screenshot) sees the page as people do. */
async function imagesSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete && img.naturalWidth > 0));
  await page.evaluate(() => Promise.all(Array.from(document.images, (img) => img.decode())));
}

/** Photos through the real upload protocol, as other guests' phones would send them. */
async function uploadPhotos(server: TestServer, photos: readonly { jpeg: Buffer; caption: string }[]): Promise<void> {
  const socket = await connectClient(server.url);
  try {
    for (const { jpeg, caption } of photos) {
      const sent = await uploadFile(socket, jpeg, { caption, author: 'Ana' });
      if (!sent.ok) throw new Error(`upload failed: ${sent.error.code}`);
    }
  } finally {
    socket.disconnect();
  }
}

/** The worst photo for light words: white all over (each size its own image). */
const white = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#fff' } }).jpeg().toBuffer();

/** The wall's words that can lie over a photo: captions and names, and the title, notes and join card on their own backgrounds. */
const WALL_WORDS = [
  '[data-testid="wall-photo"] :is(.caption, .author)',
  '[data-testid="wall-title"]',
  '.note',
  '[data-testid="join-hint"] :is(.label, .url)',
].join(', ');

describe('accessibility (axe-core in headless Chromium, WCAG 2.0 and 2.1 A and AA plus best practices)', () => {
  let server: TestServer;
  const chromium = useBrowser({ timeoutMs: 60_000 });

  beforeEach(async () => {
    server = await startTestServer({ config: { staticDir: CLIENT_DIR, eventTitle: 'Ana & Ben’s wedding' } });
  });
  afterEach(async () => {
    await server.close();
  });

  /** The wall at 1920x1080 once its first photos have decoded. */
  async function openWall(route: string): Promise<Page> {
    const wall = await chromium.openPage(server.url, route, PROJECTOR);
    await wall.getByTestId('wall-stage').waitFor({ timeout: 10_000 });
    await imagesSettled(wall);
    return wall;
  }

  it('finds no violations on the upload page on a phone, empty, with a photo picked, and once it is on the wall', async () => {
    const guest = await chromium.openPage(server.url, '/upload', PHONE);
    await guest.getByTestId('file-input').waitFor({ state: 'attached' });
    await expectNoViolations(guest, '/upload (empty)');

    await guest.getByTestId('file-input').setInputFiles(await photo(1));
    await guest.getByTestId('upload-item').waitFor();
    await imagesSettled(guest);
    await expectNoViolations(guest, '/upload (a photo picked)');

    await guest.getByTestId('author-input').fill('Ana');
    await guest.getByTestId('upload-button').click();
    await guest.getByTestId('upload-success').waitFor({ timeout: 15_000 });
    await expectNoViolations(guest, '/upload (uploaded)');
  });

  it('finds no violations on My photos on a phone with a photo of this guest, while editing, and with the recovery code shown', async () => {
    const guest = await chromium.openPage(server.url, '/upload', PHONE);
    await guest.getByTestId('file-input').setInputFiles(await photo(1));
    await guest.getByTestId('upload-button').click();
    await guest.getByTestId('upload-success').waitFor({ timeout: 15_000 });
    await guest.getByTestId('see-my-photos').click();
    await guest.getByTestId('my-photo').waitFor();
    await imagesSettled(guest);
    await expectNoViolations(guest, '/mine (one photo)');

    await guest.getByTestId('edit-button').click();
    await guest.getByTestId('edit-form').waitFor();
    await guest.getByTestId('show-code').click();
    await guest.getByTestId('code-value').waitFor();
    await expectNoViolations(guest, '/mine (editing, recovery code shown)');
  });

  it('finds no violations on the wall at 1920x1080, empty, then as a slideshow and as a mosaic with photos', async () => {
    const empty = await chromium.openPage(server.url, '/', PROJECTOR);
    await empty.getByTestId('wall-empty').waitFor({ timeout: 10_000 });
    await imagesSettled(empty);
    await expectNoViolations(empty, '/ (empty)');

    await uploadPhotos(server, await Promise.all([1, 2, 3].map(async (i) => ({ jpeg: (await photo(i)).buffer, caption: `Toast ${i}` }))));
    for (const layout of ['slideshow', 'mosaic']) {
      const wall = await openWall(`/?layout=${layout}`);
      await expectNoViolations(wall, `/?layout=${layout} (3 photos)`);
      // axe takes the full-screen stage for an open modal and then passes page-has-heading-one unchecked.
      expect(await wall.locator('h1').count()).withContext(`h1 on /?layout=${layout}`).toBe(1);
    }
  });

  it('keeps the words on the wall at WCAG AA contrast over white photos, as a slideshow and as a mosaic', async () => {
    const long = 'The first dance, under the lights of the old barn, with everyone singing along to the chorus';
    await uploadPhotos(server, [{ jpeg: await white(1600, 1200), caption: long }]);
    const slideshow = await openWall('/?layout=slideshow');
    const slide = await textOverPhotos(slideshow, WALL_WORDS);
    await uploadPhotos(server, [{ jpeg: await white(900, 1600), caption: 'Cake' }, { jpeg: await white(1200, 1200), caption: long }]);
    const mosaic = await textOverPhotos(await openWall('/?layout=mosaic'), WALL_WORDS);
    console.log(`\n  lowest contrast over white: slideshow ${slide.map((t) => t.ratio).join(', ')}; mosaic ${mosaic.map((t) => t.ratio).join(', ')}`);
    expect(slide.length).withContext('words measured on the slideshow').toBe(6);
    expect(mosaic.length).withContext('words measured on the mosaic').toBe(9);
    for (const t of [...slide, ...mosaic]) {
      expect(t.ratio).withContext(`contrast of “${t.text.slice(0, 30)}”`).toBeGreaterThanOrEqual(t.required);
    }
  });
});
