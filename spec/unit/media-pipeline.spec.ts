import { collect } from '../../server/store/blob-body';
import sharp from 'sharp';
import { ErrorCode } from '@photobook/shared';
import { decodeError, processImage } from '../../server/media/pipeline';
import { metadataBlocks } from '../fixtures/exif';
import { HTML_AS_JPEG, regionColor, sidewaysJpegWithGps, solidPng } from '../fixtures/images';

const limits = { maxPixels: 100_000_000 };

function variant(result: Awaited<ReturnType<typeof processImage>>, kind: string) {
  const found = result.blobs.find((b) => b.kind === kind);
  if (!found) throw new Error(`no ${kind} variant`);
  return found;
}

describe('the image pipeline', () => {
  it('has a fixture that really carries orientation 6 and GPS tags (so the next specs mean something)', async () => {
    const input = await sidewaysJpegWithGps();
    const meta = await sharp(input).metadata();
    expect(meta.orientation).toBe(6);
    expect(meta.width).toBe(600);
    expect(metadataBlocks(input)).toContain('exif');
    expect(metadataBlocks(input)).toContain('gps');
  });

  it('turns a sideways photo upright in every variant', async () => {
    const result = await processImage(await sidewaysJpegWithGps(), limits);
    for (const blob of result.blobs) {
      expect(blob.width).withContext(blob.kind).toBeLessThan(blob.height);
      const w = blob.width;
      const h = blob.height;
      const left = await regionColor((await collect(blob.body())), { left: 0, top: 0, width: Math.floor(w / 4), height: h });
      const right = await regionColor((await collect(blob.body())), { left: w - Math.floor(w / 4), top: 0, width: Math.floor(w / 4), height: h });
      expect(left[2]).withContext(`${blob.kind} left is blue`).toBeGreaterThan(150);
      expect(right[0]).withContext(`${blob.kind} right is red`).toBeGreaterThan(150);
    }
  });

  it('strips EXIF (GPS included), XMP and IPTC from every variant', async () => {
    const result = await processImage(await sidewaysJpegWithGps(), limits);
    for (const blob of result.blobs) {
      expect(metadataBlocks((await collect(blob.body())))).withContext(blob.kind).toEqual([]);
      const meta = await sharp((await collect(blob.body()))).metadata();
      expect(meta.exif).withContext(blob.kind).toBeUndefined();
      expect(meta.orientation).withContext(blob.kind).toBeUndefined();
    }
  });

  it('makes only what the wall needs: a WebP display variant within 1920x1080 and a WebP thumbnail within 400px', async () => {
    const result = await processImage(await solidPng(4000, 3000), limits);
    expect(result.blobs.map((b) => b.kind)).toEqual(['display', 'thumb']);
    const display = variant(result, 'display');
    const thumb = variant(result, 'thumb');
    expect([display.contentType, display.width, display.height]).toEqual(['image/webp', 1440, 1080]);
    expect([thumb.contentType, thumb.width, thumb.height]).toEqual(['image/webp', 400, 300]);
    expect((await sharp(await collect(display.body())).metadata()).format).toBe('webp');
    expect([result.width, result.height]).toEqual([1440, 1080]);
    expect(result.source).toEqual({ type: 'png', width: 4000, height: 3000 });
  });

  it('keeps the look of grey, transparent, 16-bit and CMYK photos in both variants (one decode feeds both)', async () => {
    const red = { r: 200, g: 30, b: 30 };
    const cases: Array<[string, Buffer, (channels: number[], alpha: boolean) => void]> = [
      ['grey JPEG', await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 90, g: 90, b: 90 } } }).toColourspace('b-w').jpeg().toBuffer(), (c) => {
        expect(Math.abs(c[0]! - 90)).toBeLessThan(8);
        expect(Math.abs(c[0]! - c[2]!)).toBeLessThan(3);
      }],
      ['half-transparent PNG', await sharp({ create: { width: 800, height: 600, channels: 4, background: { ...red, alpha: 0.5 } } }).png().toBuffer(), (c, alpha) => {
        expect(alpha).toBeTrue();
        expect(c[0]!).toBeGreaterThan(150);
        expect(Math.abs(c[3]! - 128)).toBeLessThan(8);
      }],
      ['16-bit PNG', await sharp({ create: { width: 800, height: 600, channels: 3, background: red } }).png().toColourspace('rgb16').toBuffer(), (c) => {
        expect(Math.abs(c[0]! - red.r)).toBeLessThan(8);
        expect(c[1]!).toBeLessThan(60);
      }],
      ['CMYK JPEG', await sharp({ create: { width: 800, height: 600, channels: 3, background: red } }).toColourspace('cmyk').jpeg().toBuffer(), (c) => {
        expect(c[0]!).toBeGreaterThan(150);
        expect(c[1]!).toBeLessThan(90);
      }],
    ];
    // The fixtures are what their names say.
    const described = await Promise.all(cases.map(async ([, input]) => sharp(input).metadata()));
    expect(described.map((m) => [m.space, m.depth, m.hasAlpha])).toEqual([
      ['b-w', 'uchar', false],
      ['srgb', 'uchar', true],
      ['rgb16', 'ushort', false],
      ['cmyk', 'uchar', false],
    ]);
    for (const [name, input, check] of cases) {
      const result = await processImage(input, limits);
      for (const blob of result.blobs) {
        const { data, info } = await sharp(await collect(blob.body())).raw().toBuffer({ resolveWithObject: true });
        const centre = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
        const channels = [...data.subarray(centre, centre + info.channels)];
        expect([info.width, info.height]).withContext(`${name} ${blob.kind}`).toEqual(blob.kind === 'display' ? [800, 600] : [400, 300]);
        check(channels, info.channels === 4);
      }
    }
  });

  it('decodes once, in the turn it is given, and waits for that turn', async () => {
    let turns = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let decoded = false;
    const making = processImage(await solidPng(1600, 1200), limits, async (decode) => {
      turns++;
      await held;
      const pixels = await decode();
      decoded = true;
      return pixels;
    });
    let done = false;
    void making.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(done).withContext('waits for its turn').toBeFalse();
    release();
    const result = await making;
    expect(decoded).toBeTrue();
    expect(turns).toBe(1);
    expect(result.blobs.map((b) => [b.kind, b.width, b.height])).toEqual([['display', 1440, 1080], ['thumb', 400, 300]]);
  });

  it('keeps the alpha of a grey photo with transparency, and makes both variants of a 1x1 image', async () => {
    const greyAlpha = await sharp({ create: { width: 600, height: 400, channels: 4, background: { r: 60, g: 60, b: 60, alpha: 0.25 } } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const made = await processImage(greyAlpha, limits);
    for (const blob of made.blobs) {
      const meta = await sharp(await collect(blob.body())).metadata();
      expect(meta.hasAlpha).withContext(blob.kind).toBeTrue();
    }
    const dot = await processImage(await solidPng(1, 1), limits);
    expect(dot.blobs.map((b) => [b.kind, b.width, b.height])).toEqual([['display', 1, 1], ['thumb', 1, 1]]);
  });

  it('never enlarges a small photo', async () => {
    const result = await processImage(await solidPng(300, 200), limits);
    expect([variant(result, 'display').width, variant(result, 'thumb').width]).toEqual([300, 300]);
  });

  it('refuses HTML renamed .jpg as UNSUPPORTED_TYPE and HEIC with its own code', async () => {
    await expectAsync(processImage(HTML_AS_JPEG, limits)).toBeRejectedWith(
      jasmine.objectContaining({ code: ErrorCode.UnsupportedType }),
    );
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(64)]);
    await expectAsync(processImage(heic, limits)).toBeRejectedWith(
      jasmine.objectContaining({ code: ErrorCode.HeicUnsupported }),
    );
  });

  it('refuses a truncated JPEG as CORRUPT_IMAGE', async () => {
    const jpeg = await sidewaysJpegWithGps();
    await expectAsync(processImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), limits)).toBeRejectedWith(
      jasmine.objectContaining({ code: ErrorCode.CorruptImage }),
    );
  });

  it('calls a decode that ran out of memory or temp space a retryable INTERNAL, never a damaged photo', () => {
    for (const message of ['vips_malloc: out of memory --- size == 400MB', 'unable to write to temp file /tmp/vips-0.v', 'ENOSPC: no space left on device']) {
      expect(decodeError(new Error(message)).code).withContext(message).toBe(ErrorCode.Internal);
    }
    for (const message of ['VipsJpeg: Premature end of input file', 'pngload_buffer: libspng read error']) {
      expect(decodeError(new Error(message)).code).withContext(message).toBe(ErrorCode.CorruptImage);
    }
  });

  it('refuses a photo above the pixel limit from its header, before decoding it', async () => {
    const png = await solidPng(2000, 2000);
    const started = Date.now();
    await expectAsync(processImage(png, { maxPixels: 1_000_000 })).toBeRejectedWith(
      jasmine.objectContaining({ code: ErrorCode.TooManyPixels }),
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
