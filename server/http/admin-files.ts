import { pipeline } from 'node:stream';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ADMIN_EXPORT_PATH, ADMIN_MEDIA_PATH, ErrorCode, type AdminHttpError } from '@photobook/shared';
import type { AdminAccess } from '../admin/admin-access';
import type { Logger } from '../errors';
import { zipExport } from '../export/zip-export';
import { zipFileName } from '../export/manifest';
import type { PhotoStore } from '../store/types';
import { clientLeft, mediaRoute } from './media-route';

export interface AdminFilesDeps {
  readonly admin: Pick<AdminAccess, 'session'>;
  readonly store: PhotoStore;
  readonly logger: Logger;
  /** For the ZIP's file name. */
  readonly now?: () => number;
}

const UNAUTHORIZED: AdminHttpError = { code: ErrorCode.Unauthorized, message: 'Sign in to the admin console first.' };

/** Only with a live admin session (a guest's cookie, a forged or an expired one: 401). The host's other files use it too. */
export function signedIn(admin: AdminFilesDeps['admin']) {
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
      if (!e) deps.logger.info('admin exported the photos');
      else if (!clientLeft(e)) deps.logger.error('export failed', { error: String(e) });
    });
  };
}

/** The host's files: the ZIP export and the console's images. Both need a live admin session. */
export function adminFilesRouter(deps: AdminFilesDeps): express.Router {
  const router = express.Router();
  const guard = signedIn(deps.admin);
  router.get(ADMIN_EXPORT_PATH, guard, exportRoute(deps));
  // Pending and hidden photos' display and thumb images, which the walls' /media does not serve.
  router.get(`${ADMIN_MEDIA_PATH}/:key`, guard, mediaRoute((key) => deps.store.openMedia(key, 'host'), 'private', deps.logger));
  return router;
}
