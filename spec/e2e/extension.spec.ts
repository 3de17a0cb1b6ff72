/// <reference lib="dom" />
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'playwright-core';
import { ErrorCode, type PhotoDto, type WallSnapshot } from '@photobook/shared';
import { messageForCode, tooLargeMessage } from '../../client/src/app/core/error-messages';
import { NOTICE_TEXT } from '../../extension/src/notice-text';
import type { ImageSource } from '../../extension/src/read-image';
import type { Notice } from '../../extension/src/send-image';
import { buildExtension } from '../../scripts/build-extension.mjs';
import { launchWithExtension, type ExtensionBrowser } from '../fixtures/extension';
import { noisyJpeg, noisyPng } from '../fixtures/hostile-files';
import { connectClient, request, startTestServer, type TestServer, type TestSocket } from '../fixtures/server';

const CLIENT_DIR = path.resolve('dist/client/browser');
const MB = 1024 * 1024;
/** The host's limit in this spec: small, so an oversized image is quick to make. */
const MAX_UPLOAD_BYTES = MB;

/** The extension APIs the spec calls inside the service worker (that code runs there, not here). */
declare const chrome: {
  storage: { sync: { set(items: Record<string, unknown>): Promise<void> } };
  notifications: { getAll(): Promise<Record<string, boolean>> };
  tabs: { query(query: { url: string }): Promise<Array<{ id?: number }>> };
};

interface SiteFile {
  readonly type: string;
  readonly body: Buffer | string;
}

/** Another origin than the wall's (its own port): the web page a guest right-clicks an image on. */
async function startSite(files: Record<string, SiteFile>): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://site').pathname];
    if (!file) return void res.writeHead(404).end();
    // No CORS headers: like most sites, it does not share its images with other origins.
    res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What the context menu does with the clicked image, called in the extension's service worker. */
function send(worker: Worker, source: ImageSource): Promise<Notice> {
  return worker.evaluate((s) => (globalThis as unknown as { photobook: { send(s: ImageSource): Promise<Notice> } }).photobook.send(s), source);
}

function setAddress(worker: Worker, address: string, author = ''): Promise<void> {
  return worker.evaluate(([a, n]) => chrome.storage.sync.set({ address: a, author: n }), [address, author] as const);
}

describe('Browser extension (end to end, its Chromium build in headless Chromium)', () => {
  let server: TestServer;
  let site: Awaited<ReturnType<typeof startSite>>;
  let browser: ExtensionBrowser;
  let worker: Worker;
  let wall: TestSocket;
  let onWall: PhotoDto[];
  let extensionDir: string;
  let photo: Buffer;
  let big: Buffer;
  let defaultTimeout: number;

  beforeAll(async () => {
    defaultTimeout = jasmine.DEFAULT_TIMEOUT_INTERVAL;
    jasmine.DEFAULT_TIMEOUT_INTERVAL = 60_000;
    // Built from the current source (lint and zips are `npm run build:extension`'s).
    const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-extension-build-'));
    extensionDir = (await buildExtension({ outDir, targets: ['chromium'], lint: false, zip: false })).chromium!;
    photo = await noisyJpeg(400, 300);
    big = await noisyJpeg(1600, 1200);
  });
  afterAll(async () => {
    jasmine.DEFAULT_TIMEOUT_INTERVAL = defaultTimeout;
    await fs.rm(path.dirname(extensionDir), { recursive: true, force: true });
  });

  beforeEach(async () => {
    server = await startTestServer({ config: { staticDir: CLIENT_DIR, maxUploadBytes: MAX_UPLOAD_BYTES } });
    site = await startSite({
      '/page.html': {
        type: 'text/html',
        body: `<!doctype html><img id="photo" src="/photo.jpg" alt="">
          <script>fetch('/photo.jpg').then((r) => r.blob()).then((b) => { window.blobUrl = URL.createObjectURL(b); });</script>`,
      },
      '/photo.jpg': { type: 'image/jpeg', body: photo },
      '/big.jpg': { type: 'image/jpeg', body: big },
      '/notes.txt': { type: 'text/plain', body: 'Not a photo at all, just some notes.\n' },
      '/disguised.jpg': { type: 'image/jpeg', body: '<!doctype html><title>not an image</title>' },
    });
    // Only the wall's host is granted, as the options page asks for; it covers every port of it.
    browser = await launchWithExtension(extensionDir, ['http://127.0.0.1/*']);
    worker = await browser.worker();
    wall = await connectClient(server.url);
    onWall = [];
    wall.on('photo:added', (p) => onWall.push(p));
    const joined = await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: null });
    expect(joined.ok).toBeTrue();
  });
  afterEach(async () => {
    wall.disconnect();
    await browser.close();
    await site.close();
    await server.close();
  });

  async function waitForWall(count: number): Promise<PhotoDto[]> {
    const deadline = Date.now() + 5_000;
    while (onWall.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return onWall;
  }

  async function ownerCookie() {
    return (await browser.context.cookies(server.url)).find((c) => c.name === 'pb_owner');
  }

  it('sends an image from another site to a listening wall as this browser’s guest, so “My photos” in the same browser lists it', async () => {
    await setAddress(worker, server.url, 'Ana');
    expect(await ownerCookie()).withContext('a fresh profile has no guest cookie').toBeUndefined();

    const notice = await send(worker, { url: `${site.url}/photo.jpg` });

    expect(notice).toEqual({ kind: 'sent', title: NOTICE_TEXT.sentTitle, message: NOTICE_TEXT.sentMessage('') });
    const [added] = await waitForWall(1);
    expect(added?.author).toBe('Ana');
    expect(added?.width).toBe(400);
    // The first request got the browser its guest cookie, as a visit to the site would have.
    const cookie = await ownerCookie();
    expect(cookie).toEqual(jasmine.objectContaining({ httpOnly: true, sameSite: 'Lax' }));

    const mine = await browser.context.newPage();
    await mine.goto(`${server.url}/mine`);
    await mine.locator(`[data-testid="my-photo"][data-photo-id="${added!.id}"]`).waitFor({ timeout: 10_000 });

    // A second image goes out under the same cookie, now that the browser holds one.
    const again = await send(worker, { url: `data:image/png;base64,${(await noisyPng(40, 30)).toString('base64')}` });
    expect(again.kind).toBe('sent');
    const [, second] = await waitForWall(2);
    expect((await ownerCookie())?.value).toBe(cookie!.value);
    await mine.reload();
    await mine.locator(`[data-testid="my-photo"][data-photo-id="${second!.id}"]`).waitFor({ timeout: 10_000 });
    expect(await mine.getByTestId('my-photo').count()).toBe(2);
  });

  it('tells an oversized image and a non-image apart with the phone’s own sentences, and sends neither', async () => {
    await setAddress(worker, server.url);
    expect(big.byteLength).toBeGreaterThan(MAX_UPLOAD_BYTES);

    const tooBig = await send(worker, { url: `${site.url}/big.jpg` });
    const notes = await send(worker, { url: `${site.url}/notes.txt` });
    const disguised = await send(worker, { url: `${site.url}/disguised.jpg` });

    expect(tooBig).toEqual({ kind: 'failed', title: NOTICE_TEXT.failedTitle, message: tooLargeMessage(big.byteLength, MAX_UPLOAD_BYTES) });
    expect(notes).toEqual({ kind: 'failed', title: NOTICE_TEXT.failedTitle, message: messageForCode(ErrorCode.UnsupportedType) });
    expect(disguised.message).toBe(messageForCode(ErrorCode.UnsupportedType));
    // Each was shown as a notification.
    const shown = await worker.evaluate(() => chrome.notifications.getAll());
    expect(Object.keys(shown).length).toBe(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(onWall).toEqual([]);
  });

  it('says the photo waits for the host’s approval when the host approves photos first', async () => {
    await setAddress(worker, server.url);
    await server.app.settings.requireApproval(true);

    const notice = await send(worker, { url: `${site.url}/photo.jpg` });

    expect(notice).toEqual({ kind: 'pending', title: NOTICE_TEXT.approvalTitle, message: NOTICE_TEXT.approvalMessage });
    const mine = await browser.context.newPage();
    await mine.goto(`${server.url}/mine`);
    await mine.getByTestId('my-photo').first().waitFor({ timeout: 10_000 });
  });

  it('reads a page’s blob: image through the page it was clicked in, and names a site it may not read', async () => {
    await setAddress(worker, server.url);
    const page = await browser.context.newPage();
    await page.goto(`${site.url}/page.html`);
    const blobUrl = await page.waitForFunction(() => (window as unknown as { blobUrl?: string }).blobUrl).then((h) => h.jsonValue() as Promise<string>);
    const tabId = await worker.evaluate(async (url) => (await chrome.tabs.query({ url })).at(0)?.id, `${site.url}/page.html`);
    expect(tabId).toEqual(jasmine.any(Number));

    const fromPage = await send(worker, { url: blobUrl!, tabId: tabId!, frameId: 0 });
    expect(fromPage.kind).toBe('sent');
    expect((await waitForWall(1)).length).toBe(1);

    // Another host, not granted and sharing nothing (no CORS): there is nothing the extension may read.
    const elsewhere = await send(worker, { url: `http://localhost:${site.port}/photo.jpg` });
    expect(elsewhere).toEqual({ kind: 'failed', title: NOTICE_TEXT.failedTitle, message: NOTICE_TEXT.unreadable });
  });

  it('opens its options page when the event’s address is not set yet', async () => {
    const notice = await send(worker, { url: `${site.url}/photo.jpg` });
    expect(notice).toEqual({ kind: 'setup', title: NOTICE_TEXT.setupTitle, message: NOTICE_TEXT.setupMessage });
    // Chromium opens it in a new tab, or in the blank one a fresh profile starts with.
    const options = await until(() => browser.context.pages().find((p) => p.url() === `${browser.origin}/options.html`));
    await options.getByTestId('address-input').waitFor();
    expect(onWall).toEqual([]);
  });
});

/** Polls `find` until it returns something (5 s at most). */
async function until<T>(find: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('not found in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
