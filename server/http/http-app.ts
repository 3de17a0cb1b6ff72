import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import compression from 'compression';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
// The build's service worker goes by the same names, and a build script cannot import TypeScript.
import { isHashedName } from '../../scripts/hashed-names.mjs';
import type { AdminAccess } from '../admin/admin-access';
import type { Logger } from '../errors';
import type { PhotoStore } from '../store/types';
import { adminFilesRouter } from './admin-files';
import { bookRouter, type BookRouteDeps } from './book-route';
import { adminRouter } from './admin-routes';
import { errorHandler, rejectMalformedPaths } from './bad-request';
import { expressTrust } from './client-address';
import type { MediaCache } from '../photos/media-cache';
import { mediaRoute, ONE_YEAR_S } from './media-route';
import { joinRouter, type JoinDeps } from './join-route';
import { tableCardRouter } from './table-card-route';
import { shareRouter, type ShareRouteDeps } from './share-routes';
import type { OwnerCookie } from './owner-cookie';

export interface HttpDeps {
  readonly store: PhotoStore;
  /** Public /media lookups, remembered (the store answers misses). */
  readonly media: Pick<MediaCache, 'open' | 'forget'>;
  readonly ownerCookie: OwnerCookie;
  readonly staticDir: string;
  readonly logger: Logger;
  readonly join: JoinDeps;
  readonly admin: AdminAccess;
  /** Origins allowed besides the page's own, for state-changing admin requests. */
  readonly allowedOrigins: readonly string[];
  /** Null when this replica should take traffic; otherwise why not (store, Redis, draining). */
  readonly readiness: () => Promise<string | null>;
  /** Prometheus text for /metrics, and the token it asks for (null: open). */
  readonly metrics: { text(): Promise<string>; readonly contentType: string; readonly token: string | null };
  /** TRUST_PROXY: whose X-Forwarded-For names the client (req.ip). */
  readonly trustProxy: readonly string[];
  /** What the host prints reads the event's title at print time. */
  readonly print: { readonly eventTitle: () => Promise<string> };
  /** The photo book's download (ready books only). */
  readonly books: BookRouteDeps['books'];
  /** Share links (/p/:id) and guests' downloads. */
  readonly share: Pick<ShareRouteDeps, 'shared' | 'downloads'>;
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
  // The build leaves a brotli and a gzip copy beside each asset (scripts/precompress.mjs): a phone
  // gets the smallest one its browser takes, with Content-Encoding and Vary, at no CPU cost here.
  router.use(
    expressStaticGzip(deps.staticDir, {
      enableBrotli: true,
      orderPreference: ['br', 'gzip'],
      index: false,
      serveStatic: {
        index: false,
        // Unhashed files (index.html, sw.js, the manifest, icons) revalidate: a new build reaches phones at once.
        setHeaders: (res, file) => {
          res.setHeader('Cache-Control', isHashedName(file) ? `public, max-age=${ONE_YEAR_S}, immutable` : 'no-cache');
        },
      },
    }),
  );
  // The page answers every other path, never these: a probe or an API call must not get HTML, and
  // a share link (/p/...) the share routes did not take is a 404, not the app.
  router.get(/^\/(?!media\/|socket\.io\/|(api|healthz|readyz|metrics|p)(\/|$)).*/, (req, res) => {
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

function metricsRoute(deps: HttpDeps): express.RequestHandler {
  const { metrics } = deps;
  const expected = metrics.token === null ? null : Buffer.from(`Bearer ${metrics.token}`);
  return (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const given = Buffer.from(req.headers.authorization ?? '');
    if (expected !== null && (given.length !== expected.length || !timingSafeEqual(given, expected))) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer').type('text/plain').send('METRICS_TOKEN required.');
      return;
    }
    metrics.text().then(
      (text) => res.type(metrics.contentType).send(text),
      (e: unknown) => {
        deps.logger.error('metrics failed', { error: String(e) });
        res.status(500).type('text/plain').send('Metrics failed.');
      },
    );
  };
}

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', expressTrust(deps.trustProxy));
  app.use(securityHeaders);
  app.use(rejectMalformedPaths);
  // Images first: the hottest path, and none of what follows (compression: images are not
  // compressible types anyway) applies to them.
  app.get(
    '/media/:key',
    mediaRoute((key) => deps.media.open(key), 'public', deps.logger, (key) => deps.media.forget([key])),
  );
  // The page itself and JSON answers, per request (assets come precompressed; images and ZIPs are
  // not compressible types, so they pass through untouched).
  app.use(compression());
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    deps.readiness().then(
      (reason) => (reason === null ? res.json({ ready: true }) : res.status(503).json({ ready: false, reason })),
      () => res.status(503).json({ ready: false, reason: 'The readiness check failed.' }),
    );
  });
  app.get('/metrics', metricsRoute(deps));
  app.use(joinRouter(deps.join));
  app.use(shareRouter({ ...deps.share, join: deps.join, logger: deps.logger }));
  app.use(adminRouter({ admin: deps.admin, allowedOrigins: deps.allowedOrigins, logger: deps.logger }));
  app.use(adminFilesRouter({ admin: deps.admin, store: deps.store, logger: deps.logger }));
  app.use(bookRouter({ admin: deps.admin, books: deps.books, logger: deps.logger }));
  app.use(tableCardRouter({ admin: deps.admin, join: deps.join, eventTitle: deps.print.eventTitle, logger: deps.logger }));
  // The manifest's share_target. The service worker answers it (client/public/share-target.js); a
  // phone without one (plain HTTP on a LAN, not yet installed) lands here: the upload page, photos
  // not carried over, body discarded unread.
  app.all('/share-target', (_req, res) => {
    res.redirect(303, '/upload');
  });
  app.use(clientApp(deps));
  app.use((_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('Not found');
  });
  app.use(errorHandler(deps.logger));
  return app;
}
