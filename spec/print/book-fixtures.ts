/**
 * For the photo book specs: photos of many shapes and sizes (made with sharp, stored as an upload
 * would store them), the admin console's socket, and poppler's tools to read the PDF back.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { io as connect, type Socket } from 'socket.io-client';
import { ADMIN_NAMESPACE, type AdminClientToServerEvents, type AdminServerToClientEvents, type BookStatusDto, type Result } from '@photobook/shared';
import { processImage } from '../../server/media/pipeline';
import { piecesOf } from '../../server/store/blob-body';
import type { PhotoRecord, Store } from '../../server/store/types';
import { signInAsAdmin } from '../fixtures/admin';

const run = promisify(execFile);

export const ACCENTED_CAPTION = "Zoë's toast à la française, Łódź";
export const CJK_NAME = '李小龙';
export const KOREAN_NAME = '김민지';
export const PASSWORD = 'correct-horse-battery-staple';

const CAPTIONS = [
  'First dance under the fairy lights',
  'Grandma stole the show',
  '',
  'The cake survived (barely)',
  'Speeches, tears and one very long toast that went on and on about the summer they met in Lisbon',
  'Sparklers!',
  'Table 7 says hi',
];
const AUTHORS = ['Anna', 'Ben', '', 'Sophie Martin', "O'Brien-Smith", 'Chloé'];

/** Shapes a party's phones and cameras give: landscapes, portraits, squares; large and small; one sideways. */
const SHAPES: readonly { width: number; height: number; orientation?: number }[] = [
  { width: 2400, height: 1600 },
  { width: 1500, height: 2000 },
  { width: 1600, height: 1600 },
  { width: 3000, height: 2000 },
  { width: 900, height: 1200 },
  // Stored sideways, upright with EXIF orientation 6: a portrait on paper.
  { width: 2000, height: 1500, orientation: 6 },
  { width: 1200, height: 800 },
];

export interface SeededPhoto {
  readonly record: PhotoRecord;
  /** width / height as shown (upright). */
  readonly aspect: number;
}

/** The `i`th photo of the party as its guest's phone sends it (shapes vary with i). */
export function partyPhoto(i: number): Promise<Buffer> {
  return photoJpeg(i, SHAPES[i % SHAPES.length]!);
}

/** A photo-like JPEG: a sky-to-ground gradient with a sun and hills, in colours of its own. */
async function photoJpeg(i: number, shape: (typeof SHAPES)[number]): Promise<Buffer> {
  const { width, height } = shape;
  const hue = (i * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="hsl(${hue},60%,75%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360},45%,35%)"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width * 0.7}" cy="${height * 0.3}" r="${Math.min(width, height) * 0.12}" fill="hsl(${(hue + 180) % 360},80%,70%)"/>
    <ellipse cx="${width * 0.3}" cy="${height}" rx="${width * 0.6}" ry="${height * 0.35}" fill="hsl(${(hue + 90) % 360},40%,30%)"/>
    <text x="${width * 0.08}" y="${height * 0.15}" font-size="${height * 0.08}" fill="white">#${i + 1}</text></svg>`;
  const image = sharp(Buffer.from(svg)).jpeg({ quality: 82 });
  return (shape.orientation ? image.withMetadata({ orientation: shape.orientation }) : image).toBuffer();
}

export function captionOf(i: number, total: number): string {
  if (i === Math.floor(total / 3)) return ACCENTED_CAPTION;
  return CAPTIONS[i % CAPTIONS.length]!;
}

export function authorOf(i: number, total: number): string {
  if (i === Math.floor(total / 2)) return CJK_NAME;
  if (i === Math.floor(total / 2) + 1) return KOREAN_NAME;
  return AUTHORS[i % AUTHORS.length]!;
}

/**
 * `n` visible photos stored as an upload stores them (display and thumb from the real pipeline) with
 * their archive copy, a minute apart from `start`, in shuffled insertion order (the book sorts by time).
 */
export async function seedPhotos(store: Store, n: number, start = Date.UTC(2026, 11, 5, 18, 0)): Promise<SeededPhoto[]> {
  const seeded: SeededPhoto[] = [];
  const shuffled = Array.from({ length: n }, (_, i) => i).sort((a, b) => ((a * 37) % 101) - ((b * 37) % 101) || a - b);
  for (const i of shuffled) {
    const shape = SHAPES[i % SHAPES.length]!;
    const jpeg = await photoJpeg(i, shape);
    const processed = await processImage(jpeg, { maxPixels: 100_000_000 });
    const record = await store.createPhoto({
      id: `book${String(i).padStart(4, '0')}${randomBytes(4).toString('hex')}`,
      ownerId: `owner${String(i % 9).padStart(17, '0')}`,
      clientUploadId: `book-${i}-${randomBytes(3).toString('hex')}`,
      caption: captionOf(i, n),
      author: authorOf(i, n),
      createdAt: start + i * 60_000,
      blobs: [
        ...processed.blobs,
        { kind: 'original', contentType: 'image/jpeg', width: shape.width, height: shape.height, bytes: jpeg.byteLength, body: piecesOf(jpeg) },
      ],
    });
    seeded[i] = { record, aspect: processed.width / processed.height };
  }
  return seeded;
}

// ---- the console ---------------------------------------------------------------------------------

export type AdminSocket = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;

export async function consoleSocket(url: string, cookie?: string): Promise<{ socket: AdminSocket; cookie: string }> {
  const signedIn = cookie ?? (await signInAsAdmin(url, PASSWORD));
  const socket: AdminSocket = connect(url + ADMIN_NAMESPACE, { forceNew: true, reconnection: false, extraHeaders: { cookie: signedIn } });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, cookie: signedIn };
}

export function ask<T>(socket: Socket, event: string, payload: unknown, timeoutMs = 10_000): Promise<Result<T>> {
  return (socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<Result<T>> }).emitWithAck(event, payload);
}

/** Resolves with the first book:changed whose latest book satisfies `done`, keeping every one seen. */
export function bookEvents(socket: AdminSocket) {
  const seen: BookStatusDto[] = [];
  const waiters: Array<{ done: (s: BookStatusDto) => boolean; resolve: (s: BookStatusDto) => void }> = [];
  socket.on('book:changed', (status) => {
    seen.push(status);
    for (const w of waiters.splice(0)) {
      if (w.done(status)) w.resolve(status);
      else waiters.push(w);
    }
  });
  return {
    seen,
    until: (done: (s: BookStatusDto) => boolean, timeoutMs: number) =>
      new Promise<BookStatusDto>((resolve, reject) => {
        const found = seen.find(done);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`no such book:changed within ${timeoutMs} ms (last: ${JSON.stringify(seen.at(-1))})`)), timeoutMs);
        waiters.push({ done, resolve: (s) => (clearTimeout(timer), resolve(s)) });
      }),
  };
}

export const finished = (s: BookStatusDto) => s.latest?.state === 'ready' || s.latest?.state === 'failed';

// ---- poppler -------------------------------------------------------------------------------------

const POPPLER = ['pdfinfo', 'pdftoppm', 'pdftotext'];

/**
 * Poppler's tools, or the spec stops: under CI=true it fails (npm test's pretest installs
 * poppler-utils, so missing means a broken setup); elsewhere it is skipped, loudly.
 */
export async function requirePoppler(): Promise<boolean> {
  const missing: string[] = [];
  for (const tool of POPPLER) {
    await run(tool, ['-v']).catch((e: { code?: string }) => {
      if (e.code === 'ENOENT') missing.push(tool);
    });
  }
  if (missing.length === 0) return true;
  const why = `${missing.join(', ')} not found: install poppler-utils (npm test's pretest does on Debian)`;
  if (process.env['CI'] === 'true') fail(`the photo book specs need ${why}`);
  else {
    console.log(`\nSKIPPED: the photo book's PDF checks: ${why}`);
    pending(`SKIPPED: ${why}`);
  }
  return false;
}

export async function pdfInfo(file: string): Promise<{ pages: number; width: number; height: number; producer: string }> {
  const { stdout } = await run('pdfinfo', [file]);
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(stdout);
  return {
    pages: Number(/Pages:\s+(\d+)/.exec(stdout)?.[1]),
    width: Number(size?.[1]),
    height: Number(size?.[2]),
    producer: /Producer:\s+(.*)/.exec(stdout)?.[1] ?? '',
  };
}

/** Every image the PDF embeds, from pdfimages -list: page, pixel size, resolution. */
export async function pdfImages(file: string): Promise<Array<{ page: number; width: number; height: number; ppi: number }>> {
  const { stdout } = await run('pdfimages', ['-list', file], { maxBuffer: 16 * 1024 * 1024 });
  return stdout
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s+/))
    .map((cols) => ({ page: Number(cols[0]), width: Number(cols[3]), height: Number(cols[4]), ppi: Number(cols[12]) }));
}

export async function pdfText(file: string): Promise<string> {
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** One page rendered to PNG at `dpi` (low: only its look is checked). */
export async function renderPage(file: string, page: number, dpi: number): Promise<Buffer> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-pdf-page-'));
  try {
    await run('pdftoppm', ['-f', String(page), '-l', String(page), '-r', String(dpi), '-png', '-singlefile', file, path.join(dir, 'page')]);
    return await fs.readFile(path.join(dir, 'page.png'));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The spread of a page's pixel values: a blank page is ~0, a page of photos is well above. */
export async function pixelSpread(png: Buffer): Promise<number> {
  const { channels } = await sharp(png).stats();
  return Math.max(...channels.slice(0, 3).map((c) => c.stdev));
}
