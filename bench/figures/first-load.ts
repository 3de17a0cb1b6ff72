/**
 * First load (issue 23): the bytes a guest's phone takes over the network to open /upload for the first
 * time, and the projector to open the wall. Each load runs in a fresh browser context (empty cache, no
 * service worker yet) against the built web app (dist/client/browser: `npm run build` first) served by
 * the real server, through a proxy that counts every byte the server sends back (bench/lib/counting-
 * proxy.ts: status lines, headers, bodies as encoded, WebSocket frames), until nothing has crossed for
 * a second. The service worker's script and precache are part of a first visit, so they count (the
 * page alone is a row of its own). Requests (a few KB the other way) do not. 1 KB = 1,000 bytes.
 *
 * Two ways a guest meets it: over plain HTTP at the laptop's LAN address, where Chromium takes gzip
 * but not brotli and no service worker can register (no secure context); and over HTTPS (here
 * localhost, which Chromium treats alike), brotli, with the service worker precaching on the first
 * visit. Target: /upload at most 120 KB either way; the page alone and the wall (on the laptop itself,
 * as when it drives the projector; no photos yet) for information.
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
  readonly answered: readonly Answered[];
  /** Requests only the service worker made (its script, its precache), as "GET /path". */
  readonly worker: ReadonlySet<string>;
}

const kb = (bytes: number) => bytes / 1000;
const sum = (answered: readonly Answered[]) => answered.reduce((total, a) => total + a.bytes, 0);
const pageAlone = ({ answered, worker }: Load) => answered.filter((a) => !worker.has(a.request));

const key = (method: string, url: string) => `${method} ${new URL(url).pathname}`;

/** The machine's first LAN IPv4 address, as guests reach a laptop at a party. */
function lanAddress(): string | null {
  const addresses = Object.values(os.networkInterfaces()).flatMap((list) => list ?? []);
  return addresses.find((a) => a.family === 'IPv4' && !a.internal)?.address ?? null;
}

/** A first load of `route` in a fresh context, through the proxy, once the network has gone quiet. */
async function firstLoad(browser: Browser, proxy: CountingProxy, route: string, options: BrowserContextOptions): Promise<Load> {
  const context = await browser.newContext(options);
  try {
    proxy.reset();
    const byPage = new Set<string>();
    const byWorker = new Set<string>();
    context.on('request', (r) => (r.serviceWorker() ? byWorker : byPage).add(key(r.method(), r.url())));
    const page = await context.newPage();
    await page.goto(proxy.url + route, { waitUntil: 'load' });
    const deadline = performance.now() + MAX_MS;
    while (performance.now() - proxy.lastByteAt < QUIET_MS) {
      if (performance.now() > deadline) throw new Error(`${route}: the network never went quiet`);
      await sleep(100);
    }
    const failed = proxy.answered.filter((a) => a.status === null || a.status >= 400);
    if (failed.length) throw new Error(`${route}: ${failed.map((a) => `${a.request} ${a.status ?? 'unanswered'}`).join(', ')} (a build under way?)`);
    return { answered: [...proxy.answered], worker: new Set([...byWorker].filter((k) => !byPage.has(k))) };
  } finally {
    await context.close();
  }
}

/** "226.1 KB in 25 answers; page 108.9 KB: /chunk-X.js 49.4, ...; service worker (...) 117.2 KB: ...". */
function breakdown(load: Load): string {
  const { answered, worker } = load;
  const list = (part: readonly Answered[]) =>
    [...part].sort((a, b) => b.bytes - a.bytes).map((a) => `${a.request.replace(/^GET /, '')} ${kb(a.bytes).toFixed(1)}`).join(', ');
  const page = pageAlone(load);
  const precache = answered.filter((a) => worker.has(a.request));
  const sw = precache.length ? `; service worker (its script and precache) ${kb(sum(precache)).toFixed(1)} KB: ${list(precache)}` : '';
  return `${kb(sum(answered)).toFixed(1)} KB in ${answered.length} answers; page ${kb(sum(page)).toFixed(1)} KB: ${list(page)}${sw}`;
}

export const firstLoadFigure: Figure = {
  name: 'first-load',
  async run({ log, startServer }) {
    if (!fs.existsSync(path.join(CLIENT_DIR, 'index.html'))) throw new Error(`no web app in ${CLIENT_DIR}: run npm run build first`);
    const server = await startServer({ staticDir: CLIENT_DIR });
    const port = Number(new URL(server.url).port);
    const local = await CountingProxy.start(port);
    const lan = lanAddress();
    const plain = lan ? await CountingProxy.start(port, lan) : null;
    const browser = await launchChromium();
    try {
      const rows: Row[] = [];
      if (plain) {
        const overLan = await firstLoad(browser, plain, '/upload', PHONE);
        log(`/upload on a phone, LAN over HTTP: ${breakdown(overLan)}`);
        rows.push(atMost('first-load: /upload, LAN over HTTP (gzip)', kb(sum(overLan.answered)), 'KB', TARGET_KB));
      } else log('no LAN address here: the plain-HTTP row is left out');
      const secure = await firstLoad(browser, local, '/upload', PHONE);
      log(`/upload on a phone, localhost (as HTTPS): ${breakdown(secure)}`);
      const wall = await firstLoad(browser, local, '/', PROJECTOR);
      log(`wall at 1920x1080, localhost: ${breakdown(wall)}`);
      rows.push(
        atMost('first-load: /upload, HTTPS (brotli + service worker)', kb(sum(secure.answered)), 'KB', TARGET_KB),
        info('first-load: /upload, HTTPS, page alone', kb(sum(pageAlone(secure))), 'KB'),
        info('first-load: wall, localhost, no photos', kb(sum(wall.answered)), 'KB'),
      );
      return rows;
    } finally {
      await browser.close();
      await Promise.all([local.close(), plain?.close()]);
      await server.stop();
    }
  },
};
