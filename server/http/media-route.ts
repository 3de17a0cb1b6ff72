import { Readable } from 'node:stream';
import type { Request, Response } from 'express';
import type { Logger } from '../errors';
import type { MediaFile } from '../store/types';
import { MEDIA_KEY } from './bad-request';

export const ONE_YEAR_S = 365 * 24 * 60 * 60;

/** The client went away: not our failure, nothing to log. */
export function clientLeft(e: NodeJS.ErrnoException): boolean {
  return e.code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/**
 * Content-addressed image variants: the URL changes when the bytes do, so caches keep them forever.
 * public for the walls' images; the host's (pending and hidden photos) are private and revalidated
 * at each use, so after sign-out a shared laptop's cache shows none of them (a 304 stays cheap).
 */
export function mediaRoute(
  open: (key: string) => Promise<MediaFile | null>,
  cache: 'public' | 'private',
  logger: Logger,
  /** The bytes could not be read (a file deleted under a cached answer): ask the store next time. */
  onReadError?: (key: string) => void,
) {
  return async (req: Request, res: Response): Promise<void> => {
    const key = req.params['key'];
    const media = typeof key === 'string' && MEDIA_KEY.test(key) ? await open(key) : null;
    if (!media) {
      res.setHeader('Cache-Control', 'no-store');
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    const cacheControl = cache === 'public' ? `public, max-age=${ONE_YEAR_S}, immutable` : 'private, no-cache';
    sendMedia(req, res, media, { key: key as string, cacheControl, logger, ...(onReadError ? { onReadError: () => onReadError(key as string) } : {}) });
  };
}

export interface SendOptions {
  /** The bytes' content key: their ETag (a revalidation is a cheap 304), and the log's word for them. */
  readonly key: string;
  readonly cacheControl: string;
  readonly logger: Logger;
  readonly onReadError?: () => void;
}

/**
 * Streams a stored file with Content-Length, one byte range at most, HEAD and If-None-Match; the
 * caller has decided that this request may have it (and set any other headers, e.g. Content-Disposition).
 */
export function sendMedia(req: Request, res: Response, media: MediaFile, options: SendOptions): void {
  const etag = `"${options.key}"`;
  res.setHeader('Cache-Control', options.cacheControl);
  res.setHeader('ETag', etag);
  if (req.headers['if-none-match'] === etag) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', media.contentType);
  res.setHeader('Accept-Ranges', 'bytes');
  // One range at most (express's req.range, i.e. range-parser): a video scrubber or a resumed
  // download asks for one; several would need multipart bodies nobody here asks for.
  const ranges = req.headers.range ? req.range(media.bytes, { combine: true }) : undefined;
  if (ranges === -1 || (Array.isArray(ranges) && ranges.length !== 1)) {
    res.setHeader('Content-Range', `bytes */${media.bytes}`);
    res.status(416).end();
    return;
  }
  const range = Array.isArray(ranges) && ranges.type === 'bytes' ? ranges[0] : undefined;
  if (range) {
    res.status(206);
    res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${media.bytes}`);
  }
  res.setHeader('Content-Length', String(range ? range.end - range.start + 1 : media.bytes));
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // Always a range, the whole file if none was asked for: a file stream that knows where to stop
  // reads the small image in one read of its size, not a 64 KiB one and another to find the end.
  const body = media.open(range ? { start: range.start, end: range.end } : media.bytes > 0 ? { start: 0, end: media.bytes - 1 } : undefined);
  streamBody(body, res, (e) => {
    if (clientLeft(e)) return;
    options.onReadError?.();
    options.logger.error('media read failed', { key: options.key, error: String(e) });
  });
}

/**
 * pipe() with the two cleanups pipeline() would do: a viewer who goes away mid-image closes the
 * file, and a read that fails ends the response. Not pipeline() itself: it builds an AbortController
 * per call and aborts it at the end (a DOMException with its stack), a few percent of a small image's
 * whole cost here.
 */
function streamBody(body: AsyncIterable<Uint8Array>, res: Response, failed: (e: NodeJS.ErrnoException) => void): void {
  const source = body instanceof Readable ? body : Readable.from(body);
  source.on('error', (e: NodeJS.ErrnoException) => {
    failed(e);
    res.destroy();
  });
  res.once('close', () => {
    if (!source.destroyed) source.destroy();
  });
  source.pipe(res);
}
