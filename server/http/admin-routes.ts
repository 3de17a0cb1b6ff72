import { STATUS_CODES } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ADMIN_SESSION_PATH, type AdminSessionDto } from '@photobook/shared';
import type { AdminAccess } from '../admin/admin-access';
import type { Logger } from '../errors';
import { originAllowed } from '../realtime/socket-server';

export interface AdminRouteDeps {
  readonly admin: AdminAccess;
  /** Origins allowed besides the page's own (ALLOWED_ORIGINS). */
  readonly allowedOrigins: readonly string[];
  readonly logger: Logger;
}

/** Far above any password we generate or accept; a longer one is not worth a scrypt. */
const MAX_PASSWORD_CHARS = 256;

function refuse(res: Response, status: number): void {
  res.status(status).type('text/plain').send(STATUS_CODES[status] ?? 'Error');
}

/**
 * A state-changing admin request must come from a page of ours: its Origin names this host or an
 * allowed origin. No Origin at all is refused too (browsers send it on every POST and DELETE).
 */
function sameOrigin(allowed: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.headers.origin !== undefined && originAllowed(req, allowed)) next();
    else refuse(res, 403);
  };
}

function sessionDto(expiresAt: number): AdminSessionDto {
  return { signedIn: true, expiresAt };
}

/** POST signs in with {password}, GET says whether the cookie is a live session, DELETE signs out. */
export function adminRouter(deps: AdminRouteDeps): express.Router {
  const router = express.Router();
  const { admin, logger } = deps;
  const checkOrigin = sameOrigin(deps.allowedOrigins);
  router.use(ADMIN_SESSION_PATH, (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.post(ADMIN_SESSION_PATH, checkOrigin, express.json({ limit: '1kb' }), async (req, res) => {
    const password: unknown = (req.body as { password?: unknown } | undefined)?.password;
    if (typeof password !== 'string' || password.length === 0 || password.length > MAX_PASSWORD_CHARS) {
      refuse(res, 400);
      return;
    }
    const ip = req.socket.remoteAddress ?? 'unknown';
    const outcome = await admin.signIn(password, ip);
    if (outcome.kind === 'locked-out') {
      res.setHeader('Retry-After', String(Math.ceil(outcome.retryAfterMs / 1000)));
      refuse(res, 429);
    } else if (outcome.kind === 'wrong-password') {
      logger.warn('admin sign-in failed', { ip });
      refuse(res, 401);
    } else {
      logger.info('admin signed in', { ip });
      res.appendHeader('Set-Cookie', outcome.setCookie);
      res.json(sessionDto(outcome.session.expiresAt));
    }
  });
  router.get(ADMIN_SESSION_PATH, (req, res) => {
    const session = admin.session(req.headers.cookie);
    if (session) res.json(sessionDto(session.expiresAt));
    else refuse(res, 401);
  });
  router.delete(ADMIN_SESSION_PATH, checkOrigin, (req, res) => {
    if (!admin.signOut(req.headers.cookie)) {
      refuse(res, 401);
      return;
    }
    res.appendHeader('Set-Cookie', admin.clearCookie);
    res.status(204).end();
  });
  return router;
}
