/**
 * The preview a phone makes before it sends anything (preview first, UP22 to UP27): the photo
 * scaled to PREVIEW_EDGE on its long edge, JPEG at PREVIEW_QUALITY. The phone draws it on a canvas;
 * the bench makes it with sharp from the same source, and times that as a hint of the work (a phone's
 * canvas is neither as fast nor as slow in the same way).
 */
import sharp from 'sharp';
import { PREVIEW_EDGE, PREVIEW_QUALITY } from '@photobook/shared';
import { median } from './stats';

export interface Preview {
  readonly bytes: Buffer;
  /** Median time sharp took to make it, of a few tries (ms). */
  readonly makeMs: number;
}

const make = (photo: Buffer) =>
  sharp(photo)
    .rotate()
    .resize(PREVIEW_EDGE, PREVIEW_EDGE, { fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: Math.round(PREVIEW_QUALITY * 100) })
    .toBuffer();

export async function makePreview(photo: Buffer, tries = 3): Promise<Preview> {
  let bytes = await make(photo); // warm-up: loads libvips' JPEG code
  const times: number[] = [];
  for (let i = 0; i < tries; i++) {
    const started = performance.now();
    bytes = await make(photo);
    times.push(performance.now() - started);
  }
  return { bytes, makeMs: median(times) };
}
