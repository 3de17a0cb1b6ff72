/**
 * Figure 3: our critical path (server/media/pipeline processImage) against a bare sharp script
 * making the same display and thumb variants from the same 12 MP file, alternating, in this
 * process (no server: both are libvips on its thread pool, the same for both).
 */
import sharp from 'sharp';
import { DISPLAY_BOX, DISPLAY_WEBP, THUMB_BOX, THUMB_WEBP, processImage } from '../../server/media/pipeline';
import { alternate } from '../lib/alternate';
import type { Figure } from '../lib/figure';
import { photo12mp } from '../lib/images';
import { atMost, info } from '../lib/rows';
import { median } from '../lib/stats';

const LIMITS = { maxPixels: 100_000_000 };

/** What anybody would write for the same variants: upright, display and thumb with our boxes and encoder settings. */
async function bareSharp(input: Buffer): Promise<void> {
  const image = sharp(input).autoOrient();
  await Promise.all([
    image.clone().resize({ ...DISPLAY_BOX, fit: 'inside', withoutEnlargement: true }).webp(DISPLAY_WEBP).toBuffer(),
    image.clone().resize({ ...THUMB_BOX, fit: 'inside', withoutEnlargement: true }).webp(THUMB_WEBP).toBuffer(),
  ]);
}

const timed = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

export const processingFigure: Figure = {
  name: 'processing',
  storeless: true,
  async run({ quick, log }) {
    const input = await photo12mp();
    const made = await processImage(input, LIMITS);
    log(`processImage makes: ${made.blobs.map((b) => `${b.kind} ${b.width}x${b.height} ${b.contentType}`).join(', ')}`);
    const samples = await alternate(
      quick ? 10 : 20,
      () => timed(() => processImage(input, LIMITS)),
      () => timed(() => bareSharp(input)),
    );
    const ours = median(samples.a);
    const bare = median(samples.b);
    return [
      info('processing: processImage median', ours, 'ms'),
      info('processing: bare sharp median', bare, 'ms'),
      atMost('processing: ours / bare sharp', ours / bare, 'x', 1.2),
    ];
  },
};
