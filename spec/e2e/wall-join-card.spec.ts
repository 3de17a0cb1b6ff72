/// <reference lib="dom" />
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { useBrowser } from '../fixtures/browser';
import { decodeQr } from '../fixtures/qr-pages';
import { sceneJpeg } from '../fixtures/scenes';
import { connectClient, guestCookie, startTestServer, uploadFile, type TestServer, type TestSocket } from '../fixtures/server';
import { onStage } from '../fixtures/wall-watch';

const CLIENT_DIR = path.resolve('dist/client/browser');
const PROJECTOR = { width: 1920, height: 1080 };
/** The corner code at 1920x1080, quiet zone included; other screens in proportion. */
const CORNER_MIN_PX = 260;
/** The full-screen card's code: at least this share of the screen's height. */
const CARD_MIN_SHARE = 0.45;
/** The card fades in like a slide (1.2 s); a screenshot waits for it to settle. */
const SETTLE_MS = 1_500;

let scene = 300;
async function send(socket: TestSocket, caption: string): Promise<string> {
  const sent = await uploadFile(socket, await sceneJpeg(++scene, 1200, 800), { caption, author: 'Ana' });
  if (!sent.ok) throw new Error(`upload failed: ${sent.error.code}`);
  return sent.value.id;
}

/** The element's box in CSS pixels. */
async function box(page: Page, selector: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await page.locator(selector).boundingBox();
  if (!found) throw new Error(`${selector} is not on screen`);
  return found;
}

describe('The wall’s join card: a QR code that scans across the room (end to end, headless Chromium)', () => {
  let server: TestServer;
  let guest: TestSocket;
  const chromium = useBrowser({ timeoutMs: 120_000 });
  const lanUpload = () => `http://192.0.2.10:${new URL(server.url).port}/upload`;

  async function start(publicUrl: string | null = null): Promise<void> {
    server = await startTestServer({ config: { staticDir: CLIENT_DIR, publicUrl, eventTitle: 'Ana & Ben’s wedding' } });
    guest = await connectClient(server.url, { cookie: guestCookie().cookie });
    for (const caption of ['First dance', 'Cake', 'Toasts']) await send(guest, caption);
  }
  afterEach(async () => {
    guest?.disconnect();
    await server.close();
  });

  it('brings in the full-screen card during the show; its code reads from a screenshot shrunk 8x (240x135)', async () => {
    await start();
    const wall = await chromium.openPage(server.url, '/?layout=slideshow&seconds=3&joinevery=5&joinfor=6', { viewport: PROJECTOR });
    await wall.getByTestId('wall-stage').waitFor({ timeout: 10_000 });
    await wall.getByTestId('join-screen').waitFor({ timeout: 15_000 });
    await wall.waitForTimeout(SETTLE_MS);

    const qr = await box(wall, '[data-testid="join-screen"] [data-testid="join-qr"]');
    console.log(`\n  full-screen card's code: ${qr.width} x ${qr.height} px (${Math.round((100 * qr.height) / PROJECTOR.height)}% of the height)`);
    expect(qr.height).toBeGreaterThanOrEqual(CARD_MIN_SHARE * PROJECTOR.height);
    expect(await wall.getByTestId('join-screen').getByTestId('join-line').textContent()).toBe('Scan to add your photos');
    expect(await wall.getByTestId('join-screen').getByTestId('wall-title').textContent()).toBe('Ana & Ben’s wedding');
    expect(await wall.getByTestId('join-address').textContent()).toBe(`192.0.2.10:${new URL(server.url).port}/upload`);
    // The corner card stays away while the big one is up.
    expect(await wall.getByTestId('join-hint').count()).toBe(0);

    // What a phone at 8 times the distance sees: the whole screen in 240x135 pixels.
    const small = await sharp(await wall.screenshot()).resize(PROJECTOR.width / 8, PROJECTOR.height / 8).png().toBuffer();
    expect(await sharp(small).metadata()).toEqual(jasmine.objectContaining({ width: 240, height: 135 }));
    expect(await decodeQr(small)).toBe(lanUpload());

    // It leaves after its time and the show goes on.
    await wall.getByTestId('join-screen').waitFor({ state: 'detached', timeout: 10_000 });
    await wall.getByTestId('join-hint').waitFor({ timeout: 5_000 });
  });

  it('gives way at once to a brand-new photo, which takes the stage within a second', async () => {
    await start();
    const wall = await chromium.openPage(server.url, '/?layout=slideshow&seconds=3&joinevery=4&joinfor=30', { viewport: PROJECTOR });
    await wall.getByTestId('join-screen').waitFor({ timeout: 15_000 });
    const at = Date.now();
    const id = await send(guest, 'Brand new');
    const ms = await onStage(wall, id, at);
    console.log(`\n  new photo over the card: on stage after ${ms} ms`);
    expect(ms).toBeLessThan(1_000);
    expect(await wall.locator('[data-testid="join-screen"]:not(.leaving)').count()).withContext('the card is leaving').toBe(0);
  });

  it('keeps the corner code at 27% of the screen height (>= 260 px at 1920x1080, in proportion at 720p and 4K); it reads at full size', async () => {
    await start('https://party.example.com');
    for (const viewport of [PROJECTOR, { width: 1280, height: 720 }, { width: 3840, height: 2160 }]) {
      const wall = await chromium.openPage(server.url, '/?layout=slideshow&seconds=30', { viewport });
      await wall.getByTestId('wall-stage').waitFor({ timeout: 10_000 });
      const qr = await box(wall, '[data-testid="join-hint"] [data-testid="join-qr"]');
      const label = `${viewport.width}x${viewport.height}`;
      console.log(`\n  corner code at ${label}: ${qr.width} x ${qr.height} px`);
      expect(qr.height).withContext(label).toBeGreaterThanOrEqual((CORNER_MIN_PX * viewport.height) / 1080);
      expect(qr.width).withContext(label).toBeCloseTo(qr.height, 0);
      // Entirely on screen, clear of the edges.
      expect(qr.x + qr.width).withContext(label).toBeLessThan(viewport.width);
      expect(qr.y + qr.height).withContext(label).toBeLessThan(viewport.height);
      expect(await wall.getByTestId('join-hint').textContent()).withContext(label).toContain('party.example.com/upload');
      if (viewport === PROJECTOR) {
        await wall.waitForTimeout(SETTLE_MS);
        expect(await decodeQr(await wall.screenshot())).toBe('https://party.example.com/upload');
      }
      await wall.context().close();
    }
  });

  it('shows the host’s pause message instead of any code while uploads are paused, and brings the codes back on resume', async () => {
    await start();
    const wall = await chromium.openPage(server.url, '/?layout=slideshow&seconds=2&joinevery=3&joinfor=2', { viewport: PROJECTOR });
    await wall.getByTestId('wall-stage').waitFor({ timeout: 10_000 });
    await server.app.settings.pauseUploads('Speeches now, back at 9');
    await wall.getByTestId('wall-paused').waitFor({ timeout: 5_000 });
    expect(await wall.getByTestId('wall-paused').textContent()).toContain('Speeches now, back at 9');
    // Long enough for two cards had uploads been open.
    const seen = await wall.evaluate(
      () =>
        new Promise<{ card: boolean; qr: boolean }>((resolve) => {
          const seen = { card: false, qr: false };
          const timer = setInterval(() => {
            seen.card ||= document.querySelector('[data-testid="join-screen"]') !== null;
            seen.qr ||= document.querySelector('[data-testid="join-qr"]') !== null;
          }, 50);
          setTimeout(() => (clearInterval(timer), resolve(seen)), 8_000);
        }),
    );
    expect(seen).toEqual({ card: false, qr: false });
    expect(await wall.getByTestId('wall-paused').isVisible()).toBeTrue();

    await server.app.settings.resumeUploads();
    await wall.getByTestId('join-qr').first().waitFor({ timeout: 10_000 });
    expect(await wall.getByTestId('wall-paused').count()).toBe(0);
  });
});
