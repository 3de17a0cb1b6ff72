import sharp from 'sharp';
import { ErrorCode } from '@photobook/shared';
import { AppError } from '../errors';
import type { MediaLimits } from './pipeline';

/**
 * Below this many pixels any file is accepted, however well it compresses: screenshots and flat
 * graphics squeeze to 20-100 px/byte, and the largest (a 6016x3384 screenshot of a 6K display is
 * 20 MP, a long scrolling phone screenshot 1080x20000 is 22 MP) stay below it. 24 MP costs about
 * 1 s and 250 MB to process here (measured on a flat 6000x4000 PNG), a price worth paying.
 */
export const FREE_PIXELS = 24_000_000;

/**
 * Above FREE_PIXELS an image may hold at most this many pixels per byte of file. Real photos sit
 * far below it: a 12 MP phone JPEG is 3-5 MB (about 3 px/byte), a 48 MP one 6-10 MB (5-8 px/byte).
 * A flat 10000x10000 PNG is 0.3-1.4 MB (70-320 px/byte) yet costs 3.5-5 s and 750 MB to process
 * here: that is what this refuses. 32 leaves 4x headroom over the most compressible real photo and
 * makes a 100 MP image cost at least 3.1 MB of upload, so pixels are paid for in bytes.
 */
export const MAX_PIXELS_PER_BYTE = 32;

export interface ImageSize {
  readonly width: number;
  readonly height: number;
  readonly pixels: number;
}

const megapixels = (pixels: number) => `${Math.round(pixels / 100_000) / 10} megapixels`;
/** Binary units named KB and MB, as every size guests and the host see (MAX_UPLOAD_BYTES, the pages). */
const fileSize = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${Math.round((bytes * 10) / (1024 * 1024)) / 10} MB`);

/** Pixels a file of `totalBytes` may declare: decoding cost grows with pixels, upload cost with bytes. */
export function pixelBudget(totalBytes: number, limits: MediaLimits): number {
  return Math.min(limits.maxPixels, Math.max(FREE_PIXELS, totalBytes * MAX_PIXELS_PER_BYTE));
}

/** Throws TOO_MANY_PIXELS for an image over the limit or over its budget for its file size. */
export function checkPixelBudget(width: number, height: number, totalBytes: number, limits: MediaLimits): ImageSize {
  const pixels = width * height;
  if (pixels > limits.maxPixels) {
    throw new AppError(
      ErrorCode.TooManyPixels,
      `The photo has too many pixels (${width}x${height}, ${megapixels(pixels)}; at most ${megapixels(limits.maxPixels)}).`,
    );
  }
  if (pixels > pixelBudget(totalBytes, limits)) {
    throw new AppError(
      ErrorCode.TooManyPixels,
      `The image has too many pixels for its file size (${width}x${height}, ${megapixels(pixels)} in ${fileSize(totalBytes)}): ` +
        'a real photo that large is a much bigger file. Send the original photo or a smaller image.',
    );
  }
  return { width, height, pixels };
}

/**
 * Reads only the header from the first bytes of an upload, so a bomb is refused before its file is
 * read whole or waits for a processing turn, and the turn is weighed by its real pixel count.
 * Null when the head does not hold a readable header (a JPEG whose SOF comes after 512 KiB of
 * metadata, a damaged file): the caller then assumes the worst weight and the pipeline decides.
 */
export async function probeImage(head: Uint8Array, totalBytes: number, limits: MediaLimits): Promise<ImageSize | null> {
  let width: number | undefined;
  let height: number | undefined;
  try {
    // No pixel limit here: the header is all that is read, and our own check gives the clearer message.
    ({ width, height } = await sharp(head, { limitInputPixels: false }).metadata());
  } catch {
    return null;
  }
  if (!width || !height) return null;
  return checkPixelBudget(width, height, totalBytes, limits);
}
