/** The floor our processing is compared with: what anybody would write with sharp for the same variants. */
import sharp from 'sharp';
import { DISPLAY_BOX, DISPLAY_WEBP, THUMB_BOX, THUMB_WEBP } from '../../server/media/pipeline';

/** Upright, display and thumb with our boxes and encoder settings, sharp's defaults otherwise. */
export async function bareSharp(input: Buffer): Promise<void> {
  const image = sharp(input).autoOrient();
  await Promise.all([
    image.clone().resize({ ...DISPLAY_BOX, fit: 'inside', withoutEnlargement: true }).webp(DISPLAY_WEBP).toBuffer(),
    image.clone().resize({ ...THUMB_BOX, fit: 'inside', withoutEnlargement: true }).webp(THUMB_WEBP).toBuffer(),
  ]);
}

/** Milliseconds `work` took. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
