import { PREVIEW_ABOVE_BYTES, PREVIEW_EDGE, PREVIEW_MAX_BYTES } from '@photobook/shared';
import { makePreview, mayPreview, previewFor } from './preview';

/** A noisy JPEG (noise defeats compression, like a real photo), left half blue and right half red. */
async function photoJpeg(width: number, height: number, quality = 0.98): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(width, height);
  for (let i = 0; i < image.data.length; i += 4) {
    const x = (i / 4) % width;
    const noise = (i * 7919 + (i >> 7) * 104729) % 40;
    image.data[i] = x < width / 2 ? noise : 215 + noise;
    image.data[i + 1] = noise;
    image.data[i + 2] = x < width / 2 ? 215 + noise : noise;
    image.data[i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return canvas.convertToBlob({ type: 'image/jpeg', quality });
}

/** The same JPEG with an EXIF block saying "rotate 90° clockwise to view" (orientation 6), as phones write. */
async function withOrientation6(jpeg: Blob): Promise<Blob> {
  const bytes = new Uint8Array(await jpeg.arrayBuffer());
  // APP1: length 34, "Exif\0\0", big-endian TIFF header, one IFD entry: 0x0112 SHORT 1 = 6.
  const app1 = [
    0xff, 0xe1, 0x00, 0x22, 0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
    0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  ];
  return new Blob([bytes.subarray(0, 2), new Uint8Array(app1), bytes.subarray(2)], { type: 'image/jpeg' });
}

async function decode(blob: Blob): Promise<{ width: number; height: number; pixel(x: number, y: number): number[] }> {
  const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return {
    width: canvas.width,
    height: canvas.height,
    pixel: (x, y) => Array.from(context.getImageData(x, y, 1, 1).data.subarray(0, 3)),
  };
}

describe('the preview a phone sends first', () => {
  it('is a JPEG with a long edge of PREVIEW_EDGE, the shape kept, much smaller than the photo', async () => {
    const photo = await photoJpeg(4000, 3000);
    const preview = (await makePreview(photo))!;
    expect(preview.type).toBe('image/jpeg');
    expect(preview.size).toBeLessThan(photo.size / 2);
    const { width, height } = await decode(preview);
    expect([width, height]).toEqual([PREVIEW_EDGE, 1440]);
  });

  it('is never upscaled', async () => {
    const { width, height } = await decode((await makePreview(await photoJpeg(1000, 500)))!);
    expect([width, height]).toEqual([1000, 500]);
  });

  it('applies the EXIF orientation, so a sideways phone photo stands upright on the wall', async () => {
    const sideways = await withOrientation6(await photoJpeg(400, 200));
    const preview = await decode((await makePreview(sideways))!);
    expect([preview.width, preview.height]).toEqual([200, 400]);
    // Turned a quarter clockwise: the blue left half is now on top, the red right half below.
    const [topRed, , topBlue] = preview.pixel(100, 50);
    const [bottomRed, , bottomBlue] = preview.pixel(100, 350);
    expect(topBlue! > 150 && topRed! < 100).withContext('top is blue').toBeTrue();
    expect(bottomRed! > 150 && bottomBlue! < 100).withContext('bottom is red').toBeTrue();
  });

  it('is null when the browser cannot decode the file', async () => {
    expect(await makePreview(new Blob([new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3])], { type: 'image/jpeg' }))).toBeNull();
  });

  describe('whether one is sent at all', () => {
    const big = (type: string, size = PREVIEW_ABOVE_BYTES + 1) => new Blob([new Uint8Array(size)], { type });
    const small = (size: number) => async () => new Blob([new Uint8Array(size)], { type: 'image/jpeg' });

    it('is tried for a JPEG, PNG or WebP above PREVIEW_ABOVE_BYTES, never for a GIF or a small photo', () => {
      for (const type of ['image/jpeg', 'image/png', 'image/webp']) expect(mayPreview(big(type))).withContext(type).toBeTrue();
      expect(mayPreview(big('image/gif'))).toBeFalse();
      expect(mayPreview(big(''))).toBeFalse();
      expect(mayPreview(big('image/jpeg', PREVIEW_ABOVE_BYTES))).toBeFalse();
    });

    it('sends the preview when it is smaller than the photo', async () => {
      const preview = await previewFor(big('image/jpeg'), small(300_000));
      expect(preview?.size).toBe(300_000);
    });

    it('sends the photo whole when the preview would not be smaller, is too big for the server, or fails', async () => {
      const photo = big('image/png', 8 * 1024 * 1024);
      expect(await previewFor(big('image/jpeg'), small(PREVIEW_ABOVE_BYTES + 1))).toBeNull();
      expect(await previewFor(photo, small(PREVIEW_MAX_BYTES + 1))).toBeNull();
      expect(await previewFor(photo, async () => null)).toBeNull();
      expect(await previewFor(photo, () => Promise.reject(new Error('no canvas')))).toBeNull();
      expect(await previewFor(photo, small(0))).toBeNull();
    });

    it('does not even try for a GIF', async () => {
      const maker = jasmine.createSpy('maker').and.callFake(small(10));
      expect(await previewFor(big('image/gif'), maker)).toBeNull();
      expect(maker).not.toHaveBeenCalled();
    });
  });
});
