// Draws the app's icons (manifest, home screen) from one SVG and writes them as PNGs into
// client/public/icons, which are committed: run `node scripts/make-icons.mjs` after changing the art.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

const OUT = path.resolve('client/public/icons');

/**
 * Two photo cards on the wall's dark ground, in the wall's gold and the upload page's cream and
 * accent. Drawn on a 512 grid; everything stays inside the central circle a maskable icon keeps (r 205).
 */
const art = `
  <defs>
    <radialGradient id="ground" cx="50%" cy="35%" r="75%">
      <stop offset="0" stop-color="#2a2230"/><stop offset="1" stop-color="#111014"/>
    </radialGradient>
  </defs>
  <g transform="rotate(-11 256 262)">
    <rect x="150" y="140" width="212" height="246" rx="14" fill="#d9b77e"/>
  </g>
  <g transform="rotate(6 256 262)">
    <rect x="150" y="138" width="212" height="246" rx="14" fill="#faf7f2"/>
    <rect x="168" y="156" width="176" height="168" rx="6" fill="#b0563a"/>
    <circle cx="300" cy="198" r="20" fill="#f0d9b0"/>
    <path d="M168 300 L226 236 L262 274 L286 252 L344 312 L344 324 L168 324 Z" fill="#6e2f1f"/>
  </g>`;

const svg = (rounded) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  ${rounded ? '<clipPath id="r"><rect width="512" height="512" rx="112"/></clipPath>' : ''}
  <g ${rounded ? 'clip-path="url(#r)"' : ''}>
    <rect width="512" height="512" fill="url(#ground)"/>
    ${art}
  </g>
</svg>`);

/** name, size, rounded: "any" icons carry their own corners; maskable and Apple ones are full-bleed squares. */
const ICONS = [
  ['icon-192.png', 192, true],
  ['icon-512.png', 512, true],
  ['maskable-192.png', 192, false],
  ['maskable-512.png', 512, false],
  ['apple-touch-icon.png', 180, false],
];

await mkdir(OUT, { recursive: true });
for (const [name, size, rounded] of ICONS) {
  await sharp(svg(rounded), { density: (72 * size) / 512 * 4 })
    .resize(size, size)
    .png({ compressionLevel: 9, palette: true, quality: 90, effort: 10 })
    .toFile(path.join(OUT, name));
}
console.log(`wrote ${ICONS.length} icons to ${path.relative(process.cwd(), OUT)}`);
