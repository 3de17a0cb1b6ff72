import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { AdminAccess } from '../admin/admin-access';
import type { Logger } from '../errors';
import type { PhotoStore, StorageUpkeep } from '../store/types';
import { adminFilesRouter } from './admin-files';
import { adminRouter } from './admin-routes';
import { errorHandler, rejectMalformedPaths } from './bad-request';
import { mediaRoute, ONE_YEAR_S } from './media-route';
import { joinRouter, type JoinDeps } from './join-route';
import type { OwnerCookie } from './owner-cookie';

export interface HttpDeps {
  readonly store: PhotoStore & Pick<StorageUpkeep, 'ping'>;
  readonly ownerCookie: OwnerCookie;
  readonly staticDir: string;
  readonly logger: Logger;
  readonly join: JoinDeps;
  readonly admin: AdminAccess;
  /** Origins allowed besides the page's own, for state-changing admin requests. */
  readonly allowedOrigins: readonly string[];
}


/**
 * Scripts only from our origin; images from our origin plus the upload page's local previews (blob:).
 * Inline styles stay allowed because Angular writes component styles into <style> tags.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'self'",
  "form-action 'self'",
].join('; ');

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'SAMEORIGIN');
  next();
}

/** The built Angular app: hashed bundles cached forever, index.html always revalidated. */
function clientApp(deps: HttpDeps): express.Router {
  const router = express.Router();
  const index = path.resolve(deps.staticDir, 'index.html');
  router.use(
    express.static(deps.staticDir, {
      index: false,
      setHeaders: (res, file) => {
        const hashed = /-[A-Z0-9]{8}\.(js|css)$/.test(file);
        res.setHeader('Cache-Control', hashed ? `public, max-age=${ONE_YEAR_S}, immutable` : 'no-cache');
      },
    }),
  );
  // The page answers every other path, never these: a probe or an API call must not get HTML.
  router.get(/^\/(?!media\/|socket\.io\/|(api|healthz|readyz|metrics)(\/|$)).*/, (req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The web app is not built yet: run `npm run build`.');
      return;
    }
    deps.ownerCookie.ensure(req, res);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}

/** A readiness probe answers within this, whatever the store is doing (an election, an outage). */
const READY_TIMEOUT_MS = 2_000;

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);
  app.use(rejectMalformedPaths);
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  // Ready when the store answers: a replica that cannot reach its database takes no new traffic.
  app.get('/readyz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    deps.store.ping(READY_TIMEOUT_MS).then(
      () => res.json({ ready: true }),
      (e: unknown) => {
        deps.logger.warn('not ready: the store does not answer', { error: e instanceof Error ? e.message : String(e) });
        res.status(503).json({ ready: false, reason: 'The store does not answer.' });
      },
    );
  });
  app.get('/media/:key', mediaRoute((key) => deps.store.openMedia(key), 'public', deps.logger));
  app.use(joinRouter(deps.join));
  app.use(adminRouter({ admin: deps.admin, allowedOrigins: deps.allowedOrigins, logger: deps.logger }));
  app.use(adminFilesRouter({ admin: deps.admin, store: deps.store, logger: deps.logger }));
  app.use(clientApp(deps));
  app.use((_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('Not found');
  });
  app.use(errorHandler(deps.logger));
  return app;
}
