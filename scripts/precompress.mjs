// Writes a brotli (.br) and a gzip (.gz) copy beside every text asset of the built web app, so the
// server sends a guest's phone the smallest one its browser takes, without compressing per request.
// Run by `npm run build:client`; `node scripts/precompress.mjs [DIR]` does it again by hand.
// The gzip copy is Zopfli's (@gfx/zopfli): a valid gzip stream about 4% smaller than zlib's best,
// which counts on plain-HTTP LAN parties, where browsers offer only gzip. It costs seconds at build.
import { gzipAsync as zopfli } from '@gfx/zopfli';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const brotli = promisify(zlib.brotliCompress);
const TEXT = /\.(js|mjs|css|html|svg|json|webmanifest|txt|map)$/;
/** Below this a compressed copy saves less than a packet. */
const MIN_BYTES = 1024;

/** Compresses every text file under `dir` (skipping copies it made before); returns how many. */
export async function precompress(dir) {
  let count = 0;
  for (const entry of await readdir(dir, { recursive: true })) {
    const file = path.join(dir, entry);
    if (!TEXT.test(file) || !(await stat(file)).isFile()) continue;
    const bytes = await readFile(file);
    if (bytes.length < MIN_BYTES) continue;
    const params = { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length };
    await writeFile(`${file}.br`, await brotli(bytes, { params }));
    await writeFile(`${file}.gz`, await zopfli(bytes, { numiterations: 15 }));
    count++;
  }
  return count;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dir = path.resolve(process.argv[2] ?? 'dist/client/browser');
  const count = await precompress(dir);
  console.log(`precompressed ${count} files in ${path.relative(process.cwd(), dir) || '.'} (brotli and gzip)`);
}
