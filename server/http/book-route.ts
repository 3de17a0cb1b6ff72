import { Readable, pipeline } from 'node:stream';
import express, { type Request, type Response } from 'express';
import { ADMIN_BOOK_PATH, ErrorCode, type AdminHttpError } from '@photobook/shared';
import type { AdminAccess } from '../admin/admin-access';
import type { BookService } from '../books/book-service';
import type { Logger } from '../errors';
import { signedIn } from './admin-files';
import { clientLeft } from './media-route';

export interface BookRouteDeps {
  readonly admin: Pick<AdminAccess, 'session'>;
  readonly books: Pick<BookService, 'download'>;
  readonly logger: Logger;
}

const NONE_READY: AdminHttpError = { code: ErrorCode.NotFound, message: 'No photo book is ready yet: make one in the console first.' };

/**
 * GET: the last ready photo book as a PDF download, streamed from the store (any replica serves
 * it). Host only: the guard answers 401 before the store is asked anything.
 */
export function bookRouter(deps: BookRouteDeps): express.Router {
  const router = express.Router();
  router.get(ADMIN_BOOK_PATH, signedIn(deps.admin), async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const found = await deps.books.download();
    if (!found) {
      res.status(404).json(NONE_READY);
      return;
    }
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Length', String(found.file.bytes));
    res.setHeader('Content-Disposition', `attachment; filename="${found.name}"`);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // A failed read destroys the response: a cut-off PDF never looks complete.
    pipeline(Readable.from(found.file.open()), res, (e) => {
      if (!e) deps.logger.info('admin downloaded the photo book');
      else if (!clientLeft(e)) deps.logger.error('photo book download failed', { error: String(e) });
    });
  });
  return router;
}
