import os from 'node:os';
import sharp from 'sharp';

/** Images the upload scheduler processes at once by default (PhotoMakerDeps.processingSlots). */
export const IMAGES_AT_ONCE = 2;

/**
 * libvips keeps the results of recent operations (up to 50 MB by default) in case the same one is
 * asked for again. This server processes each image once (an upload's variants come from one decode;
 * a photo book's pages each read their photo once), so the cache only holds memory: it is turned off.
 *
 * libvips also gives each image as many worker threads as the machine has cores, each with buffers of
 * its own, while the upload scheduler already runs two images at once: each gets its share of the
 * cores instead (one thread each on 2 cores). Measured here on 2 cores: one 12 MP photo's display and
 * thumb +30 MB and 158 ms against +38 MB and 195 ms; two at once +50 MB and 331 ms against +70 MB and
 * 296 ms; the 10 x 12 MP burst's peak 192-216 MB against 210-216 MB.
 *
 * Process-wide; the composition root calls it.
 */
export function tuneLibvips(): void {
  sharp.cache(false);
  sharp.concurrency(Math.max(1, Math.floor(os.availableParallelism() / IMAGES_AT_ONCE)));
}
