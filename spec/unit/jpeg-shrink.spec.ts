import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { ErrorCode } from '@photobook/shared';
import { DISPLAY_BOX, THUMB_BOX, checkOriginal, jpegLoadName, processImage, type ImageInput } from '../../server/media/pipeline';
import { collect } from '../../server/store/blob-body';
import { withExif } from '../fixtures/exif';
import { regionColor } from '../fixtures/images';

const limits = { maxPixels: 100_000_000 };
const file = (name: string): ImageInput => ({ file: name, head: new Uint8Array(16), bytes: 0 });
const jpeg = (width: number, height: number, orientation?: number) => ({ format: 'jpeg' as const, width, height, orientation });

/** Top half red, bottom half blue, as a JPEG of that size. */
async function halves(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) pixels[(y * width + x) * 3 + (y < height / 2 ? 0 : 2)] = 230;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

describe('a JPEG read at the scale its box allows (shrink-on-load)', () => {
  let dir: string;
  beforeAll(async () => {
    // Brackets in the folder's name too: libvips takes only the last pair, at the end, as options.
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook [shrink] '));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('names the largest scale of 8, 4, 2 at or below the reduction, while less than 2x is left for sharp', () => {
    const cases: Array<[Parameters<typeof jpegLoadName>[1], string]> = [
      [jpeg(4000, 3000), '/u/a[shrink=2]'], // 12 MP phone photo: 2.78x, where sharp steps back to 1
      [jpeg(3000, 4000, 6), '/u/a[shrink=2]'], // stored sideways: upright 4000x3000
      [jpeg(4400, 2400, 6), '/u/a[shrink=4]'], // upright 2400x4400: 4.07x into 1080 high (2.29x unturned)
      [jpeg(2400, 4400, 6), '/u/a[shrink=2]'], // upright 4400x2400: 2.29x (4.07x unturned)
      [jpeg(8000, 6000), '/u/a[shrink=4]'], // 48 MP: 5.56x
      [jpeg(16000, 9000), '/u/a[shrink=8]'], // 8.33x
      [jpeg(12000, 8333), '/u/a'], // 100 MP, 7.7x: 8333 is no multiple of 4 (sharp reads it at 1/4 itself)
      [jpeg(4000, 3001), '/u/a'], // libjpeg would round 1500.5 up
      [jpeg(40000, 2500), '/u/a'], // 20.8x: sharp reads it at 1/8 itself
      [jpeg(3000, 2000), '/u/a'], // 1.85x
      [jpeg(1920, 1080), '/u/a'],
      [{ ...jpeg(4000, 3000), gainMap: { image: Buffer.alloc(1) } }, '/u/a'], // Ultra HDR: libvips's own loader
      [{ ...jpeg(4000, 3000), format: 'png' as never }, '/u/a'],
    ];
    for (const [meta, name] of cases) {
      expect(jpegLoadName(file('/u/a'), meta, DISPLAY_BOX)).withContext(JSON.stringify(meta)).toBe(name);
    }
    expect(jpegLoadName(file('/u/a'), jpeg(1600, 1200), THUMB_BOX)).toBe('/u/a[shrink=4]');
    expect(jpegLoadName(file("/u/it's"), jpeg(4000, 3000), DISPLAY_BOX)).toBe("/u/it's");
    const buffer = Buffer.alloc(4);
    expect(jpegLoadName(buffer, jpeg(4000, 3000), DISPLAY_BOX)).toBe(buffer);
  });

  it('is a name libvips loads at that scale, in a folder with brackets of its own', async () => {
    const name = path.join(dir, 'photo.jpg');
    await fs.writeFile(name, await halves(4000, 3000));
    const meta = await sharp(jpegLoadName(file(name), jpeg(4000, 3000), DISPLAY_BOX)).metadata();
    expect([meta.width, meta.height]).toEqual([2000, 1500]);
  });

  it('makes the same variants from a file as from memory, upright and sideways', async () => {
    const upright = await halves(4000, 3000);
    const name = path.join(dir, 'upright.jpg');
    await fs.writeFile(name, upright);
    const made = await processImage({ file: name, head: upright.subarray(0, 16), bytes: upright.length }, limits);
    expect(made.blobs.map((b) => [b.kind, b.width, b.height])).toEqual([['display', 1440, 1080], ['thumb', 400, 300]]);
    const top = await regionColor(await collect(made.blobs[0]!.body()), { left: 0, top: 0, width: 1440, height: 200 });
    expect(top[0]).withContext('red on top').toBeGreaterThan(150);

    const bytes = withExif(await halves(4000, 3000), 6);
    const sideways = path.join(dir, 'sideways.jpg');
    await fs.writeFile(sideways, bytes);
    const fromFile = await processImage({ file: sideways, head: bytes.subarray(0, 16), bytes: bytes.length }, limits);
    const fromMemory = await processImage(bytes, limits);
    const sizes = (made: typeof fromFile) => made.blobs.map((b) => [b.kind, b.width, b.height]);
    expect(sizes(fromFile)).toEqual([['display', 810, 1080], ['thumb', 300, 400]]);
    expect(sizes(fromFile)).toEqual(sizes(fromMemory));
    expect(fromFile.source).toEqual({ type: 'jpeg', width: 4000, height: 3000 });
    const display = await collect(fromFile.blobs[0]!.body());
    // Turned a quarter clockwise: the red top is now on the right.
    expect((await regionColor(display, { left: 600, top: 0, width: 200, height: 1080 }))[0]).toBeGreaterThan(150);
    expect((await regionColor(display, { left: 0, top: 0, width: 200, height: 1080 }))[2]).toBeGreaterThan(150);
    const checked = await checkOriginal({ file: sideways, head: bytes.subarray(0, 16), bytes: bytes.length }, limits);
    expect(checked.upright).toEqual({ width: 3000, height: 4000 });
  });

  it('still refuses a truncated JPEG read at a smaller scale as CORRUPT_IMAGE', async () => {
    const bytes = await halves(4000, 3000);
    const name = path.join(dir, 'truncated.jpg');
    await fs.writeFile(name, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const input = { file: name, head: bytes.subarray(0, 16), bytes: Math.floor(bytes.length * 0.6) };
    await expectAsync(processImage(input, limits)).toBeRejectedWith(jasmine.objectContaining({ code: ErrorCode.CorruptImage }));
    await expectAsync(checkOriginal(input, limits)).toBeRejectedWith(jasmine.objectContaining({ code: ErrorCode.CorruptImage }));
  });
});
