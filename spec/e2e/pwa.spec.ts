/// <reference lib="dom" />
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium as playwright, type Page } from 'playwright-core';
import { ACCEPTED_MIME_TYPES } from '@photobook/shared';
import { CHROMIUM_FLAGS, requireChromium } from '../../scripts/chromium.cjs';
import { useBrowser } from '../fixtures/browser';
import { noisyJpeg } from '../fixtures/hostile-files';
import { connectClient, guestCookie, startTestServer, uploadFile, type TestServer } from '../fixtures/server';

const CLIENT_DIR = path.resolve('dist/client/browser');
/** Paths no cache may ever hold: the API, the photos, the live connection. */
const NEVER_CACHED = /\/(api|media|socket\.io)(\/|\?|$)/;

interface ManifestIcon {
  readonly src: string;
  readonly sizes: string;
  readonly type: string;
  readonly purpose?: string;
}

/** Width and height from a PNG's IHDR chunk (right after the 8-byte signature and the chunk header). */
function pngSize(bytes: Buffer): { width: number; height: number } | null {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * The built script holding `entry` (from the metafile `ng build --stats-json` writes): by its inputs, since
 * after Angular's chunk optimizer only main keeps its entryPoint.
 */
async function chunkOf(entry: string): Promise<string> {
  const stats = JSON.parse(await fs.readFile(path.join(CLIENT_DIR, '..', 'stats.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const found = Object.entries(stats.outputs).find(([name, output]) => name.endsWith('.js') && entry in output.inputs);
  if (!found) throw new Error(`no chunk for ${entry}`);
  return `/${found[0]}`;
}

/** Resolves once a service worker is active and controls the page (clientsClaim: on the first visit). */
function controlled(page: Page): Promise<string> {
  return page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
    return navigator.serviceWorker.controller!.scriptURL;
  });
}

/** Every URL in every Cache Storage cache of the page's origin, by cache. */
function cachedUrls(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const all: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      // Workbox adds ?__WB_REVISION__= to unhashed files: the path is what was cached.
      all[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
    }
    return all;
  });
}

describe('an installable app with a share target (issue 23, end to end, headless Chromium)', () => {
  let server: TestServer;
  /** localhost: a secure context over plain HTTP, as on the host's own laptop. */
  let base: string;
  // Offline navigations and a refused page load are provoked on purpose.
  const chromium = useBrowser({ timeoutMs: 60_000, serviceWorkers: 'allow', tolerated: /Failed to load resource|net::ERR|WebSocket connection/ });

  beforeAll(async () => {
    server = await startTestServer({ config: { staticDir: CLIENT_DIR } });
    base = server.url.replace('127.0.0.1', 'localhost');
  });
  afterAll(async () => {
    await server.close();
  });

  const manifest = async () => {
    const res = await fetch(`${base}/manifest.webmanifest`);
    expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    return res.json() as Promise<Record<string, unknown>>;
  };

  it('links a manifest that opens the upload page as a standalone app', async () => {
    const page = await chromium.openPage(base, '/upload');
    const head = await page.evaluate(() => ({
      manifest: document.querySelector<HTMLLinkElement>('link[rel="manifest"]')?.href,
      appleIcon: document.querySelector<HTMLLinkElement>('link[rel="apple-touch-icon"]')?.href,
      themeColor: document.querySelector<HTMLMetaElement>('meta[name="theme-color"]')?.content,
    }));
    expect(head.manifest).toBe(`${base}/manifest.webmanifest`);
    expect(pngSize(Buffer.from(await (await fetch(head.appleIcon!)).arrayBuffer()))).toEqual({ width: 180, height: 180 });

    const m = await manifest();
    expect(m).toEqual(jasmine.objectContaining({ name: 'Photobook', short_name: 'Photobook', start_url: '/upload', scope: '/', display: 'standalone' }));
    expect(m['theme_color']).toBe(head.themeColor);
    expect(m['background_color']).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('declares 192 and 512 pixel icons, plain and maskable, each a PNG of its declared size', async () => {
    const icons = (await manifest())['icons'] as ManifestIcon[];
    for (const purpose of ['any', 'maskable']) {
      const sizes = icons.filter((i) => (i.purpose ?? 'any').split(' ').includes(purpose)).map((i) => i.sizes);
      expect(sizes).withContext(purpose).toEqual(jasmine.arrayContaining(['192x192', '512x512']));
    }
    for (const icon of icons) {
      const res = await fetch(new URL(icon.src, base));
      expect(res.headers.get('content-type')).withContext(icon.src).toBe('image/png');
      const [w, h] = icon.sizes.split('x').map(Number);
      expect(pngSize(Buffer.from(await res.arrayBuffer()))).withContext(icon.src).toEqual({ width: w!, height: h! });
    }
  });

  it('takes photos shared from the gallery: a multipart POST of "photos" to /share-target, in the types uploads accept', async () => {
    expect((await manifest())['share_target']).toEqual({
      action: '/share-target',
      method: 'POST',
      enctype: 'multipart/form-data',
      params: { title: 'title', text: 'text', files: [{ name: 'photos', accept: [...ACCEPTED_MIME_TYPES] }] },
    });
  });

  it('registers a service worker that controls the page, and serves sw.js for revalidation on every visit', async () => {
    const page = await chromium.openPage(base, '/upload');
    expect(await controlled(page)).toBe(`${base}/sw.js`);
    const sw = await fetch(`${base}/sw.js`);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(sw.headers.get('content-type')).toMatch(/javascript/);
  });

  it('caches the app shell, and never anything from /api, /media or /socket.io', async () => {
    const socket = await connectClient(server.url, { cookie: guestCookie().cookie });
    const uploaded = await uploadFile(socket, await noisyJpeg(320, 240));
    socket.disconnect();
    if (!uploaded.ok) throw new Error(uploaded.error.code);

    const page = await chromium.openPage(base, '/upload');
    await controlled(page);
    // The page's own socket goes through the worker too; then the API, the photos and a handshake.
    await page.getByTestId('page-title').waitFor();
    const statuses = await page.evaluate(async (urls) => Promise.all(urls.map(async (u) => (await fetch(u)).status)), [
      '/api/join',
      uploaded.value.thumbUrl,
      uploaded.value.displayUrl,
      '/socket.io/?EIO=4&transport=polling',
    ]);
    expect(statuses).toEqual([200, 200, 200, 200]);

    const cached = await cachedUrls(page);
    const everything = Object.values(cached).flat();
    expect(everything.filter((u) => NEVER_CACHED.test(u))).toEqual([]);
    expect(everything).toEqual(jasmine.arrayContaining(['/index.html', '/manifest.webmanifest', '/icons/icon-192.png']));
    expect(everything.some((u) => /^\/main-[A-Z0-9]{8}\.js$/.test(u))).withContext('the main script').toBeTrue();
    expect(everything.some((u) => /^\/styles-[A-Z0-9]{8}\.css$/.test(u))).withContext('the styles').toBeTrue();
    expect(everything).withContext("the guest's pages, lazy but precached").toContain(await chunkOf('client/src/app/upload/upload-page.ts'));
    expect(everything).toContain(await chunkOf('client/src/app/wall/wall-page.ts'));
    expect(everything).toContain(await chunkOf('client/src/app/gallery/gallery-page.ts'));
    expect(everything).withContext('the host console stays off guests\' phones').not.toContain(await chunkOf('client/src/app/admin/admin.routes.ts'));
  });

  it('offline, opens the upload page from the cache, but never answers /api, /media or the probes with it', async () => {
    const page = await chromium.openPage(base, '/upload');
    await controlled(page);
    await page.getByTestId('page-title').waitFor();
    await page.context().setOffline(true);

    // A fresh tab for each: after a failed navigation Chromium's error page would race the next one.
    for (const route of ['/api/x', '/media/x', '/socket.io/?EIO=4&transport=polling', '/healthz', '/metrics', '/share-target']) {
      const tab = await page.context().newPage();
      const response = await tab.goto(base + route).catch(() => null);
      // Offline, so the only thing that could answer is the worker's cache: nothing must.
      expect(response === null ? 'no answer' : `${response.status()} ${response.headers()['content-type']}`).withContext(route).toBe('no answer');
      await tab.close();
    }

    const tab = await page.context().newPage();
    const shell = await tab.goto(`${base}/upload`);
    expect(shell?.fromServiceWorker()).toBeTrue();
    await tab.getByTestId('page-title').waitFor();
  });

  it('keeps photos posted to /share-target in the share inbox and sends the phone to /upload?shared=1 (303)', async () => {
    const page = await chromium.openPage(base, '/upload');
    await controlled(page);
    const jpeg = [...(await noisyJpeg(64, 48))];
    const answer = await page.evaluate(async (bytes) => {
      const types: string[] = [];
      let followed: Response | null = null;
      for (const redirect of ['manual', 'follow'] as const) {
        const data = new FormData();
        data.append('title', 'From the gallery');
        data.append('photos', new File([new Uint8Array(bytes)], 'IMG_0042.jpg', { type: 'image/jpeg' }));
        const response = await fetch('/share-target', { method: 'POST', body: data, redirect });
        types.push(response.type);
        followed = response;
      }
      return { manualType: types[0], redirected: followed!.redirected, url: followed!.url };
    }, jpeg);
    expect(answer.manualType).withContext('a redirect, not a page').toBe('opaqueredirect');
    expect(answer).toEqual(jasmine.objectContaining({ redirected: true, url: `${base}/upload?shared=1` }));

    // What takeSharedFiles (client/src/app/upload/share-inbox.ts) reads: one File per record.
    const inbox = await page.evaluate(
      () =>
        new Promise<{ name: string; type: string; bytes: number[] }[]>((resolve, reject) => {
          const open = indexedDB.open('photobook-share', 1);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction('inbox').objectStore('inbox').getAll();
            all.onerror = () => reject(all.error);
            all.onsuccess = async () =>
              resolve(await Promise.all((all.result as File[]).map(async (f) => ({ name: f.name, type: f.type, bytes: [...new Uint8Array(await f.arrayBuffer())] }))));
          };
        }),
    );
    expect(inbox.map((f) => [f.name, f.type])).toEqual([['IMG_0042.jpg', 'image/jpeg'], ['IMG_0042.jpg', 'image/jpeg']]);
    expect(inbox[0]!.bytes).toEqual(jpeg);
  });

  it('without a service worker, answers a share with the upload page (303), not an error', async () => {
    const res = await fetch(`${server.url}/share-target`, { method: 'POST', body: new FormData(), redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/upload');
  });

  it('on plain HTTP over the LAN (no secure context) registers nothing and works without a word', async () => {
    // A LAN name, not localhost: Chromium then treats the page as insecure, as a guest's phone does.
    const browser = await playwright.launch({
      executablePath: requireChromium(),
      headless: true,
      args: [...CHROMIUM_FLAGS, '--host-resolver-rules=MAP photobook.lan 127.0.0.1'],
    });
    const errors: string[] = [];
    try {
      const page = await browser.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
      await page.goto(`http://photobook.lan:${new URL(server.url).port}/upload`);
      await page.getByTestId('page-title').waitFor();
      expect(await page.evaluate(() => ({ secure: isSecureContext, worker: 'serviceWorker' in navigator }))).toEqual({ secure: false, worker: false });
    } finally {
      await browser.close();
    }
    expect(errors).toEqual([]);
  });
});
