// Writes the service worker (sw.js) into the built web app with Workbox. Run by `npm run build:client`
// after `ng build --stats-json` and before precompress (which then compresses sw.js like any script);
// `node scripts/build-sw.mjs [DIR]` does it again by hand.
//
// What it caches, ahead of time (precache): index.html, the manifest, the small icons, the styles and every
// script a guest's page can load: main and what it imports, and the wall, upload, gallery and My photos pages.
// Not the host console's chunks: guests' phones never download it. Nothing is cached at run time, so
// /api, /media (photos), /socket.io, the probes and /share-target (posted to; share-target.js takes
// it) always reach the server. A navigation falls back to the cached index.html for app routes only.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSW } from 'workbox-build';
import { HASHED } from './hashed-names.mjs';

/** The app's pages (client/src/app/app.routes.ts): '/', /upload, /mine, /gallery, /admin and below. */
export const APP_ROUTES = /^\/((upload|mine|gallery|admin)(\/[^?]*)?)?(\?.*)?$/;
/** Server paths that must always reach the server, even offline (they then fail, as they should). */
export const NEVER_FROM_CACHE = [/^\/api(\/|$)/, /^\/media(\/|$)/, /^\/socket\.io(\/|$)/, /^\/(healthz|readyz|metrics|join|share-target)(\/|$)/];
/** Source folders whose lazy chunks stay out of the precache. */
const NOT_FOR_GUESTS = 'client/src/app/admin/';

/**
 * The scripts reachable from main.ts, static and lazy imports alike, except lazy imports of the host
 * console; read from the esbuild metafile that `ng build --stats-json` writes beside the browser folder.
 * A console chunk is told by its inputs: after the chunk optimizer only main keeps its entryPoint.
 */
export async function guestScripts(statsFile) {
  const { outputs } = JSON.parse(await readFile(statsFile, 'utf8'));
  const main = Object.keys(outputs).find((name) => outputs[name].entryPoint === 'client/src/main.ts');
  if (!main) throw new Error(`${statsFile} names no output for client/src/main.ts`);
  const forHost = (name) => Object.keys(outputs[name]?.inputs ?? {}).some((input) => input.startsWith(NOT_FOR_GUESTS));
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name) || !outputs[name]) return;
    seen.add(name);
    for (const { path: next, kind } of outputs[name].imports) {
      if (kind === 'dynamic-import' && forHost(next)) continue;
      visit(next);
    }
  };
  visit(main);
  return seen;
}

export async function buildServiceWorker(dir, statsFile = path.join(dir, '..', 'stats.json')) {
  const scripts = await guestScripts(statsFile);
  return generateSW({
    globDirectory: dir,
    // The 512 px icons are fetched by the browser itself when it installs the app: not on a first visit.
    globPatterns: ['index.html', 'manifest.webmanifest', 'icons/*-192.png', '*.{js,css}'],
    globIgnores: ['sw.js', 'share-target.js', '**/*.br', '**/*.gz'],
    manifestTransforms: [async (entries) => ({ manifest: entries.filter((e) => !e.url.endsWith('.js') || scripts.has(e.url)), warnings: [] })],
    // Content-hashed names change with the bytes: no revision needed.
    dontCacheBustURLsMatching: HASHED,
    swDest: path.join(dir, 'sw.js'),
    importScripts: ['share-target.js'],
    navigateFallback: '/index.html',
    navigateFallbackAllowlist: [APP_ROUTES],
    navigateFallbackDenylist: NEVER_FROM_CACHE,
    // A new build takes over at once: its precache holds everything the pages it serves load.
    skipWaiting: true,
    clientsClaim: true,
    cleanupOutdatedCaches: true,
    inlineWorkboxRuntime: true,
    sourcemap: false,
    mode: 'production',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dir = path.resolve(process.argv[2] ?? 'dist/client/browser');
  const { count, size, warnings } = await buildServiceWorker(dir);
  for (const w of warnings) console.warn(w);
  console.log(`service worker: ${count} files precached (${Math.round(size / 1024)} kB) in ${path.relative(process.cwd(), dir)}/sw.js`);
}
