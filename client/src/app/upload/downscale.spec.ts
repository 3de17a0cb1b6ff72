import { downscaleForUpload } from './downscale';

/** A noisy JPEG (noise defeats compression, like a real photo) of the given size, made by the browser. */
async function noisyJpeg(width: number, height: number, name = 'big.jpg'): Promise<File> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(width, height);
  for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 7919 + (i >> 7) * 104729) % 256;
  context.putImageData(image, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.98 });
  return new File([blob], name, { type: 'image/jpeg' });
}

async function sizeOf(blob: Blob): Promise<[number, number]> {
  const bitmap = await createImageBitmap(blob);
  const size: [number, number] = [bitmap.width, bitmap.height];
  bitmap.close();
  return size;
}

describe('downscaleForUpload', () => {
  it('re-encodes a photo above the threshold as a smaller JPEG with the long edge capped', async () => {
    const file = await noisyJpeg(2400, 1600, 'IMG_0042.JPEG');
    const prepared = await downscaleForUpload(file, { aboveBytes: 100_000, maxEdge: 1200 });
    expect(prepared.downscaled).toBeTrue();
    expect(prepared.blob.type).toBe('image/jpeg');
    expect(prepared.name).toBe('IMG_0042.jpg');
    expect(prepared.blob.size).toBeLessThan(file.size);
    expect(await sizeOf(prepared.blob)).toEqual([1200, 800]);
  });

  it('sends the original when it is under the threshold, when downscaling is off, or for a GIF', async () => {
    const file = await noisyJpeg(400, 300);
    expect((await downscaleForUpload(file, { aboveBytes: file.size, maxEdge: 100 })).blob).toBe(file);
    expect((await downscaleForUpload(file, { aboveBytes: null, maxEdge: 100 })).blob).toBe(file);
    const gif = new File([file], 'party.gif', { type: 'image/gif' });
    expect((await downscaleForUpload(gif, { aboveBytes: 1, maxEdge: 100 })).blob).toBe(gif);
  });

  it('sends the original when the browser cannot decode it, and lets the server say why', async () => {
    const broken = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])], 'broken.jpg', { type: 'image/jpeg' });
    const prepared = await downscaleForUpload(broken, { aboveBytes: 1, maxEdge: 100 });
    expect(prepared).toEqual({ blob: broken, name: 'broken.jpg', downscaled: false });
  });
});
