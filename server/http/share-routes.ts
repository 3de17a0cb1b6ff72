import express, { type Request, type Response } from 'express';
import type { Logger } from '../errors';
import type { RequestLimiter } from '../limits/request-limiter';
import { downloadDisposition } from '../share/download-name';
import { gonePage, sharePage, type SharePage } from '../share/share-page';
import type { SharedPhotos } from '../share/shared-photos';
import { originFor, type JoinDeps } from './join-route';
import { sendMedia } from './media-route';

export interface ShareRouteDeps {
  readonly shared: SharedPhotos;
  /** PUBLIC_URL and the LAN address: og:image and og:url must be absolute. */
  readonly join: JoinDeps;
  /** Full-size downloads per client address. */
  readonly downloads: Pick<RequestLimiter, 'allow'>;
  readonly logger: Logger;
}

/** A share page under its own policy (stricter than the app's), replacing the app's. */
function send(res: Response, status: number, page: SharePage): void {
  res.setHeader('Content-Security-Policy', page.csp);
  res.status(status).type('html').send(page.html);
}

/** Hidden, removed, pending, unknown or switched off: one answer for all, never cached. */
function gone(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  send(res, 404, gonePage());
}

/**
 * A photo's share link (/p/:id) and its download (/p/:id/download). Both read the photo and the
 * host's switches on every request; the page is revalidated at each use (no-cache) so a hide
 * reaches a browser's next visit too.
 */
export function shareRouter(deps: ShareRouteDeps): express.Router {
  const router = express.Router();
  router.get('/p/:id', async (req: Request, res: Response) => {
    const shared = await deps.shared.page(req.params['id']);
    if (!shared) return gone(res);
    res.setHeader('Cache-Control', 'no-cache');
    send(res, 200, sharePage(shared, originFor(req, deps.join)));
  });
  router.get('/p/:id/download', async (req: Request, res: Response) => {
    if (!(await deps.downloads.allow(req.ip ?? 'unknown'))) {
      res.setHeader('Retry-After', '60');
      res.setHeader('Cache-Control', 'no-store');
      res.status(429).type('text/plain').send('Too many downloads from this network for now; try again in a minute.');
      return;
    }
    const found = await deps.shared.download(req.params['id']);
    if (!found) return gone(res);
    res.setHeader('Content-Disposition', downloadDisposition(found.title, found.seq, found.media.contentType));
    // private: one guest's copy, and revalidated, so a photo hidden since is not kept served by a cache.
    sendMedia(req, res, found.media, { key: found.key, cacheControl: 'private, no-cache', logger: deps.logger });
  });
  return router;
}
