/// <reference lib="dom" />
import path from 'node:path';
import type { Page } from 'playwright-core';
import { useBrowser } from '../fixtures/browser';
import { seedManyPhotos } from '../fixtures/many-photos';
import { startTestServer, type TestServer } from '../fixtures/server';
import { recordStage, turns } from '../fixtures/wall-watch';

const CLIENT_DIR = path.resolve('dist/client/browser');
const PHOTOS = 10_000;
/** Elements in the whole document, overlays included: a fixed bound, whatever the event's size. */
const MAX_DOM_NODES = 400;

async function heapUsedAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return usedSize;
}

const domNodes = (page: Page) => page.evaluate(() => document.getElementsByTagName('*').length);

async function waitForTurns(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => (window as unknown as { __stageLog: unknown[] }).__stageLog.length >= n, count, {
    timeout: 180_000,
    polling: 200,
  });
}

describe(`The wall with ${PHOTOS.toLocaleString('en')} photos (end to end, headless Chromium)`, () => {
  let server: TestServer;
  const chromium = useBrowser({ timeoutMs: 240_000 });

  beforeAll(async () => {
    server = await startTestServer({ config: { staticDir: CLIENT_DIR } });
    await seedManyPhotos(server.store, PHOTOS);
  }, 120_000);
  afterAll(async () => {
    await server.close();
  });

  it('shows its first photo within 2 s, keeps its DOM bounded and its heap flat over 200 transitions', async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    try {
      const start = Date.now();
      await page.goto(`${server.url}/?layout=slideshow&seconds=0.3`);
      await page.waitForFunction(() => {
        const img = document.querySelector('[data-testid="wall-stage"] img') as HTMLImageElement | null;
        return !!img && img.complete && img.naturalWidth > 0;
      }, null, { timeout: 10_000, polling: 20 });
      const firstMs = Date.now() - start;
      await recordStage(page);
      await waitForTurns(page, 20);
      const heapAt20 = await heapUsedAfterGc(page);
      let maxNodes = await domNodes(page);
      for (let n = 40; n <= 200; n += 20) {
        await waitForTurns(page, n);
        maxNodes = Math.max(maxNodes, await domNodes(page));
      }
      const heapAt200 = await heapUsedAfterGc(page);
      const shown = new Set((await turns(page)).map((t) => t.id)).size;
      console.log(
        `\n  ${PHOTOS} photos: first photo in ${firstMs} ms; ${shown} different photos in 200 turns; ` +
          `DOM at most ${maxNodes} elements; heap ${(heapAt20 / 1e6).toFixed(1)} MB after 20 turns, ${(heapAt200 / 1e6).toFixed(1)} MB after 200`,
      );
      expect(firstMs).toBeLessThan(2_000);
      expect(maxNodes).toBeLessThan(MAX_DOM_NODES);
      expect(heapAt200 - heapAt20).withContext('heap growth over 180 turns').toBeLessThan(2 * 1024 * 1024);
      expect(shown).withContext('the show cycles through many photos, not a few').toBeGreaterThan(150);
    } finally {
      await page.close();
    }
  });

  it('keeps the mosaic bounded too', async () => {
    const page = await chromium.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    try {
      await page.goto(`${server.url}/?layout=mosaic&seconds=0.3`);
      await page.getByTestId('wall-photo').first().waitFor({ timeout: 10_000 });
      let maxNodes = 0;
      for (let i = 0; i < 20; i++) {
        await page.waitForTimeout(300);
        maxNodes = Math.max(maxNodes, await domNodes(page));
      }
      expect(maxNodes).toBeLessThan(MAX_DOM_NODES);
    } finally {
      await page.close();
    }
  });
});
