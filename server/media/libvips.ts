import sharp from 'sharp';

/**
 * libvips keeps the results of recent operations (up to 50 MB by default) in case the same one is
 * asked for again. This server processes each image once (an upload's variants come from one decode;
 * a photo book's pages each read their photo once), so the cache only holds memory: it is turned off.
 * Process-wide; the composition root calls it.
 */
export function dropImageCache(): void {
  sharp.cache(false);
}
