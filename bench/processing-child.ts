/**
 * The processing figure's measurement in a process of its own (forked by figures/processing.ts), so
 * libvips's threads and the memory it leaves behind do not slow the figures after it, whose clients
 * run in the bench process (measured: the transport figure's socket client lost a quarter of its
 * throughput after it). Alternates our processImage and a bare sharp script on the same 12 MP file,
 * with sharp's defaults for both, each reading the file from disk as a commit reads an upload's.
 *
 *   child -> {type:'processing', made, ours: number[], bare: number[]} then exits
 */
import sharp from 'sharp';
import { DISPLAY_BOX, DISPLAY_WEBP, THUMB_BOX, THUMB_WEBP, processImage } from '../server/media/pipeline';
import { alternate } from './lib/alternate';
import { timed } from './lib/clock';
import { photo12mp, photo12mpFile } from './lib/images';
import { reportError, sendToParent } from './lib/child';

const LIMITS = { maxPixels: 100_000_000 };
const rounds = Number(process.argv[2]);

/** What anybody would write for the same variants: upright, display and thumb with our boxes and encoder settings. */
async function bareSharp(input: string): Promise<void> {
  const image = sharp(input).autoOrient();
  await Promise.all([
    image.clone().resize({ ...DISPLAY_BOX, fit: 'inside', withoutEnlargement: true }).webp(DISPLAY_WEBP).toBuffer(),
    image.clone().resize({ ...THUMB_BOX, fit: 'inside', withoutEnlargement: true }).webp(THUMB_WEBP).toBuffer(),
  ]);
}

try {
  const bytes = await photo12mp();
  const file = await photo12mpFile();
  const input = { file, head: bytes.subarray(0, 16), bytes: bytes.length };
  const made = await processImage(input, LIMITS);
  const samples = await alternate(
    rounds,
    () => timed(() => processImage(input, LIMITS)),
    () => timed(() => bareSharp(file)),
  );
  await sendToParent({
    type: 'processing',
    made: made.blobs.map((b) => `${b.kind} ${b.width}x${b.height} ${b.contentType}`).join(', '),
    ours: samples.a,
    bare: samples.b,
  });
} catch (e) {
  await reportError(e);
}
process.disconnect?.();
