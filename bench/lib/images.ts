/**
 * Bench inputs, made deterministically and cached under the OS temp folder (photobook-bench/):
 * photo-like JPEGs (gradients, soft waves and noise, so they compress like a photo) and junk that
 * only starts like a JPEG.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

export const CACHE_DIR = path.join(os.tmpdir(), 'photobook-bench');

/** A small seeded generator (mulberry32): the same seed gives the same photo on every machine. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PhotoRecipe {
  readonly width: number;
  readonly height: number;
  /** Peak-to-peak noise per channel: more noise, bigger file. */
  readonly noise: number;
  readonly quality: number;
}

async function render(recipe: PhotoRecipe): Promise<Buffer> {
  const { width, height, noise } = recipe;
  const random = seeded(42);
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const n = (random() - 0.5) * noise;
      const wave = 40 * Math.sin(x / 170) * Math.cos(y / 230);
      // Buffer assignment clamps to 0..255 by truncation modulo 256, so keep every value in range.
      pixels[i] = clamp(60 + (x / width) * 150 + wave + n);
      pixels[i + 1] = clamp(80 + (y / height) * 120 - wave + n);
      pixels[i + 2] = clamp(200 - ((x + y) / (width + height)) * 150 + n * 0.8);
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: recipe.quality }).toBuffer();
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

async function cached(name: string, make: () => Promise<Buffer>): Promise<Buffer> {
  const file = path.join(CACHE_DIR, name);
  try {
    return await fs.readFile(file);
  } catch {
    const bytes = await make();
    await fs.mkdir(CACHE_DIR, { recursive: true });
    await fs.writeFile(`${file}.tmp`, bytes);
    await fs.rename(`${file}.tmp`, file);
    return bytes;
  }
}

const PHOTO_12MP = 'photo-12mp-v1.jpg';

/** 4000x3000 (12 MP), about 4.1 MB: a phone photo. */
export const photo12mp = () => cached(PHOTO_12MP, () => render({ width: 4000, height: 3000, noise: 27, quality: 92 }));

/** Where photo12mp's file is (made first if need be): the server's commits read an upload's file, not a Buffer. */
export async function photo12mpFile(): Promise<string> {
  await photo12mp();
  return path.join(CACHE_DIR, PHOTO_12MP);
}

/** 6000x4500 (27 MP), about 20 MB: a large camera photo, for the commit burst. */
export const photo27mp = () => cached('photo-27mp-v1.jpg', () => render({ width: 6000, height: 4500, noise: 80, quality: 97 }));

/**
 * 12000x8333 (100 MP, the most DEFAULT_MAX_PIXELS accepts), about 20 MB: the largest photo a guest may
 * send, for the 100 MP figure. Rendering it takes the bench process some 300 MB and seconds, once.
 */
export const photo100mp = () => cached('photo-100mp-v1.jpg', () => render({ width: 12000, height: 8333, noise: 24, quality: 88 }));

/** 640x480, small and quick to process: the photo whose broadcast the fan-out figure times. */
export const smallPhoto = () => cached('photo-small-v1.jpg', () => render({ width: 640, height: 480, noise: 20, quality: 85 }));

/** Random bytes behind a JPEG signature: passes the first chunk's sniff, never meant to be committed. */
export function junkJpeg(bytes: number): Buffer {
  const junk = randomBytes(bytes);
  junk.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00], 0);
  return junk;
}
