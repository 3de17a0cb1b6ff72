import { pipeline } from 'node:stream';
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
export function mediaRoute(open: (key: string) => Promise<MediaFile | null>, cache: 'public' | 'private', logger: Logger) {
  return async (req: Request, res: Response): Promise<void> => {
    const key = req.params['key'];
    const media = typeof key === 'string' && MEDIA_KEY.test(key) ? await open(key) : null;
    if (!media) {
      res.setHeader('Cache-Control', 'no-store');
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    const cacheControl = cache === 'public' ? `public, max-age=${ONE_YEAR_S}, immutable` : 'private, no-cache';
    sendMedia(req, res, media, { key: key as string, cacheControl, logger });
  };
}

export interface SendOptions {
  /** The bytes' content key: their ETag (a revalidation is a cheap 304), and the log's word for them. */
  readonly key: string;
  readonly cacheControl: string;
  readonly logger: Logger;
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
  // pipeline, not pipe: a viewer that goes away mid-image must not leave the stream open.
  pipeline(media.open(range ? { start: range.start, end: range.end } : undefined), res, (e) => {
    if (e && !clientLeft(e)) options.logger.error('media read failed', { key: options.key, error: String(e) });
  });
}
