/**
 * First load (issue 23): the bytes a guest's phone takes over the network to open /upload for the first
 * time, and the projector to open the wall. Each load runs in a fresh browser context (empty cache, no
 * service worker yet) against the built web app (dist/client/browser: `npm run build` first) served by
 * the real server, through a proxy that counts every byte the server sends back (bench/lib/counting-
 * proxy.ts: status lines, headers, bodies as encoded, WebSocket frames), until nothing has crossed for
 * a second: that is the first load. Where a service worker may register (a secure context), the page
 * installs it a few seconds after it loaded (client/src/app/core/service-worker.ts), so its script and
 * precache are counted apart, as what the phone fetches in the background afterwards, once. Requests
 * (a few KB the other way) do not count. 1 KB = 1,000 bytes.
 *
 * Two ways a guest meets it: over plain HTTP at the laptop's LAN address, where Chromium takes gzip
 * but not brotli and no service worker can register (no secure context); and over HTTPS (here
 * localhost, which Chromium treats alike), brotli. Target: /upload at most 120 KB either way; the
 * service worker's install and the wall (on the laptop itself, as when it drives the projector; no
 * photos yet) for information.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { launchChromium } from '../../spec/fixtures/browser';
import { sleep } from '../lib/clock';
import { CountingProxy, type Answered } from '../lib/counting-proxy';
import type { Figure } from '../lib/figure';
import { atMost, info, type Row } from '../lib/rows';

const CLIENT_DIR = path.resolve('dist/client/browser');
const TARGET_KB = 120;
/** Idle: no byte either way for this long. */
const QUIET_MS = 1_000;
const MAX_MS = 30_000;
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const PROJECTOR: BrowserContextOptions = { viewport: { width: 1920, height: 1080 } };

interface Load {
  /** Until the network first went quiet: the page. */
  readonly page: readonly Answered[];
  /** After it: the service worker's script and precache (empty where none registers). */
  readonly worker: readonly Answered[];
}

const kb = (bytes: number) => bytes / 1000;
const sum = (answered: readonly Answered[]) => answered.reduce((total, a) => total + a.bytes, 0);

/** The machine's first LAN IPv4 address, as guests reach a laptop at a party. */
function lanAddress(): string | null {
  const addresses = Object.values(os.networkInterfaces()).flatMap((list) => list ?? []);
  return addresses.find((a) => a.family === 'IPv4' && !a.internal)?.address ?? null;
}

async function quiet(proxy: CountingProxy, what: string): Promise<void> {
  const deadline = performance.now() + MAX_MS;
  while (performance.now() - proxy.lastByteAt < QUIET_MS) {
    if (performance.now() > deadline) throw new Error(`${what}: the network never went quiet`);
    await sleep(100);
  }
}

/** A first load of `route` in a fresh context, through the proxy: the page, then the service worker's install. */
async function firstLoad(browser: Browser, proxy: CountingProxy, route: string, options: BrowserContextOptions): Promise<Load> {
  const context = await browser.newContext(options);
  try {
    proxy.reset();
    const page = await context.newPage();
    await page.goto(proxy.url + route, { waitUntil: 'load' });
    await quiet(proxy, route);
    const loaded = proxy.answered.length;
    const installs = await page.evaluate(() => isSecureContext && 'serviceWorker' in navigator);
    if (installs) {
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await quiet(proxy, `${route}'s service worker`);
    }
    const failed = proxy.answered.filter((a) => a.status === null || a.status >= 400);
    if (failed.length) throw new Error(`${route}: ${failed.map((a) => `${a.request} ${a.status ?? 'unanswered'}`).join(', ')} (a build under way?)`);
    return { page: proxy.answered.slice(0, loaded), worker: proxy.answered.slice(loaded) };
  } finally {
    await context.close();
  }
}

/** "108.9 KB in 15 answers: /chunk-X.js 49.4, ...; then the service worker 38.0 KB: ...". */
function breakdown({ page, worker }: Load): string {
  const list = (part: readonly Answered[]) =>
    [...part].sort((a, b) => b.bytes - a.bytes).map((a) => `${a.request.replace(/^GET /, '')} ${kb(a.bytes).toFixed(1)}`).join(', ');
  const sw = worker.length ? `; then the service worker ${kb(sum(worker)).toFixed(1)} KB: ${list(worker)}` : '';
  return `${kb(sum(page)).toFixed(1)} KB in ${page.length} answers: ${list(page)}${sw}`;
}

export const firstLoadFigure: Figure = {
  name: 'first-load',
  async run({ log, startServer }) {
    if (!fs.existsSync(path.join(CLIENT_DIR, 'index.html'))) throw new Error(`no web app in ${CLIENT_DIR}: run npm run build first`);
    // Whatever started is stopped, in reverse, even when a later step fails (no Chromium found):
    // a server left running would keep the bench from exiting once it has printed its table.
    const started: Array<() => Promise<unknown>> = [];
    try {
      const server = await startServer({ staticDir: CLIENT_DIR });
      started.push(() => server.stop());
      const port = Number(new URL(server.url).port);
      const local = await CountingProxy.start(port);
      started.push(() => local.close());
      const lan = lanAddress();
      const plain = lan ? await CountingProxy.start(port, lan) : null;
      if (plain) started.push(() => plain.close());
      const browser = await launchChromium();
      started.push(() => browser.close());
      const rows: Row[] = [];
      if (plain) {
        const overLan = await firstLoad(browser, plain, '/upload', PHONE);
        log(`/upload on a phone, LAN over HTTP: ${breakdown(overLan)}`);
        rows.push(atMost('first-load: /upload, LAN over HTTP (gzip)', kb(sum(overLan.page)), 'KB', TARGET_KB));
      } else log('no LAN address here: the plain-HTTP row is left out');
      const secure = await firstLoad(browser, local, '/upload', PHONE);
      log(`/upload on a phone, localhost (as HTTPS): ${breakdown(secure)}`);
      const wall = await firstLoad(browser, local, '/', PROJECTOR);
      log(`wall at 1920x1080, localhost: ${breakdown(wall)}`);
      rows.push(
        atMost('first-load: /upload, HTTPS (brotli)', kb(sum(secure.page)), 'KB', TARGET_KB),
        info('first-load: /upload, service worker install afterwards', kb(sum(secure.worker)), 'KB'),
        info('first-load: wall, localhost, no photos', kb(sum(wall.page)), 'KB'),
      );
      return rows;
    } finally {
      // Each runs even when one before it failed; a failed stop is said, not thrown over the figure's own error.
      for (const stop of started.reverse()) await stop().catch((e: unknown) => log(`could not stop a part of the figure: ${String(e)}`));
    }
  },
};
