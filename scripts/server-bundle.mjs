// How the server's TypeScript becomes the JavaScript a host runs: one ESM bundle of our own code (and
// shared/), npm packages left external. build-server.mjs makes dist/server/main.js with it; the bench
// makes its server child with it too, so the figures measure the same code without tsx's compiler
// (about 100 MB of RSS on its own) in the process.
import { build } from 'esbuild';

/**
 * Bundles `entry` (a .ts file, relative to the repository) into `outdir`, as `<entry's name>.js`.
 * What the server loads only on demand (the MongoDB store and its driver, the PDF makers and their
 * fonts) is split into chunks/ and imported when first used, so a laptop on the embedded store never
 * holds them in memory (about 25 MB of RSS). `more`: esbuild options on top, e.g. write: false for
 * the files in the result's outputFiles (the bench writes its own).
 */
export function bundleServer(entry, outdir, more = {}) {
  return build({
    entryPoints: [entry],
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    tsconfig: 'tsconfig.json',
    sourcemap: true,
    logLevel: 'warning',
    ...more,
  });
}
