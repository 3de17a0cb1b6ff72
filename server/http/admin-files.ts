import { pipeline } from 'node:stream';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ADMIN_EXPORT_PATH, ADMIN_MEDIA_PATH, ErrorCode, type AdminHttpError } from '@photobook/shared';
import type { AdminAccess } from '../admin/admin-access';
import type { Logger } from '../errors';
import { zipExport } from '../export/zip-export';
import { zipFileName } from '../export/manifest';
import type { PhotoStore } from '../store/types';
import { MEDIA_KEY } from './bad-request';

export interface AdminFilesDeps {
  readonly admin: Pick<AdminAccess, 'session'>;
  readonly store: Pick<PhotoStore, 'changesSince' | 'readVariant' | 'openMedia'>;
  readonly logger: Logger;
  /** For the ZIP's file name. */
  readonly now?: () => number;
}

const ONE_YEAR_S = 365 * 24 * 60 * 60;

const UNAUTHORIZED: AdminHttpError = { code: ErrorCode.Unauthorized, message: 'Sign in to the admin console first.' };

/** The client went away: not our failure, nothing to log. */
function clientLeft(e: NodeJS.ErrnoException): boolean {
  return e.code === 'ERR_STREAM_PREMATURE_CLOSE';
}

/** Only with a live admin session (a guest's cookie, a forged or an expired one: 401). */
function signedIn(admin: AdminFilesDeps['admin']) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    // Awaited: works whether the session lookup is synchronous or asks the store.
    if (await admin.session(req.headers.cookie)) {
      next();
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.status(401).json(UNAUTHORIZED);
  };
}

/** The ZIP, streamed: as fast as the host's download takes it, stopped when the download is. */
function exportRoute(deps: AdminFilesDeps) {
  const now = deps.now ?? Date.now;
  return (req: Request, res: Response): void => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${zipFileName(now())}"`);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // Any failure destroys the response, so a half-written ZIP never looks complete.
    pipeline(zipExport(deps.store), res, (e) => {
      if (e && !clientLeft(e)) deps.logger.error('export failed', { error: String(e) });
    });
  };
}

/** Display and thumb images of photos the wall does not show (pending, hidden), for the console. */
function mediaRoute(deps: AdminFilesDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const key = req.params['key'];
    const media = typeof key === 'string' && MEDIA_KEY.test(key) ? await deps.store.openMedia(key, 'host') : null;
    if (!media) {
      res.setHeader('Cache-Control', 'no-store');
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    const etag = `"${key}"`;
    // Keys are content addresses, so the bytes never change; private: only the host's browser keeps them.
    res.setHeader('Cache-Control', `private, max-age=${ONE_YEAR_S}, immutable`);
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', media.contentType);
    res.setHeader('Content-Length', String(media.bytes));
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    pipeline(media.open(), res, (e) => {
      if (e && !clientLeft(e)) deps.logger.error('admin media read failed', { key, error: String(e) });
    });
  };
}

/** The host's files: the ZIP export and the console's images. Both need a live admin session. */
export function adminFilesRouter(deps: AdminFilesDeps): express.Router {
  const router = express.Router();
  const guard = signedIn(deps.admin);
  router.get(ADMIN_EXPORT_PATH, guard, exportRoute(deps));
  router.get(`${ADMIN_MEDIA_PATH}/:key`, guard, mediaRoute(deps));
  return router;
}
