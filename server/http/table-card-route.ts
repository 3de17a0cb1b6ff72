import { pipeline } from 'node:stream';
import express, { type Request, type Response } from 'express';
import { ADMIN_TABLE_CARDS_PATH, parseTableCardRequest, tableCardFileName, type AdminHttpError } from '@photobook/shared';
import type { AdminAccess } from '../admin/admin-access';
import type { Logger } from '../errors';
import { signedIn } from './admin-files';
import { clientLeft } from './media-route';
import { uploadUrlFor, type JoinDeps } from './join-route';

export interface TableCardRouteDeps {
  readonly admin: Pick<AdminAccess, 'session'>;
  readonly join: JoinDeps;
  /** The event's title as the host set it last (read per request, so a new title prints at once). */
  readonly eventTitle: () => Promise<string>;
  readonly logger: Logger;
}

/**
 * GET ?size=a6|a5&paper=a4|letter: one sheet of table cards as a PDF download, streamed as pdfkit
 * writes it. The code and the address are the ones the wall shows for this request's host (PUBLIC_URL,
 * or the LAN address when the console runs on localhost). Host only: the guard answers 401 first.
 */
export function tableCardRouter(deps: TableCardRouteDeps): express.Router {
  const router = express.Router();
  router.get(ADMIN_TABLE_CARDS_PATH, signedIn(deps.admin), async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const request = parseTableCardRequest(req.query);
    if (!request.ok) {
      const body: AdminHttpError = request.error;
      res.status(400).json(body);
      return;
    }
    const title = await deps.eventTitle();
    // pdfkit and the fonts load on the first print, not with the server (server-bundle.mjs).
    const { tableCardsPdf } = await import('../print/table-cards');
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${tableCardFileName(request.value)}"`);
    pipeline(tableCardsPdf(request.value, { title, uploadUrl: uploadUrlFor(req, deps.join) }), res, (e) => {
      if (!e) deps.logger.info('admin printed table cards', { size: request.value.size, paper: request.value.paper });
      else if (!clientLeft(e)) deps.logger.error('table cards failed', { error: String(e) });
    });
  });
  return router;
}
