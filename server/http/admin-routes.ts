import express, { type NextFunction, type Request, type Response } from 'express';
import { ADMIN_SESSION_PATH, ErrorCode, type AdminHttpError, type AdminSessionDto } from '@photobook/shared';
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

/** Admin HTTP errors are JSON with a code, like the socket's Results. */
export function refuse(res: Response, status: number, code: ErrorCode, message: string): void {
  const body: AdminHttpError = { code, message };
  res.status(status).json(body);
}

export const refuseUnauthorized = (res: Response) => refuse(res, 401, ErrorCode.Unauthorized, 'Sign in to the admin console first.');

/**
 * A state-changing admin request must come from a page of ours: its Origin names this host or an
 * allowed origin. No Origin at all is refused too (browsers send it on every POST and DELETE).
 */
function sameOrigin(allowed: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.headers.origin !== undefined && originAllowed(req, allowed)) next();
    else refuse(res, 403, ErrorCode.OriginRefused, 'This request must come from the admin console itself.');
  };
}

/** Express 5 passes a rejected promise to the error handler; this keeps the route bodies short. */
type AsyncRoute = (req: Request, res: Response) => Promise<void>;

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
  const signIn: AsyncRoute = async (req, res) => {
    const password: unknown = (req.body as { password?: unknown } | undefined)?.password;
    if (typeof password !== 'string' || password.length === 0 || password.length > MAX_PASSWORD_CHARS) {
      refuse(res, 400, ErrorCode.BadRequest, 'Send {"password": "..."}.');
      return;
    }
    // req.ip honours X-Forwarded-For only from TRUST_PROXY's proxies (set on the app).
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const outcome = await admin.signIn(password, ip);
    if (outcome.kind === 'locked-out') {
      const seconds = Math.ceil(outcome.retryAfterMs / 1000);
      res.setHeader('Retry-After', String(seconds));
      refuse(res, 429, ErrorCode.SignInLocked, `Too many wrong passwords: try again in ${seconds} s.`);
    } else if (outcome.kind === 'wrong-password') {
      logger.warn('admin sign-in failed', { ip });
      refuse(res, 401, ErrorCode.WrongPassword, 'That is not the admin password.');
    } else {
      logger.info('admin signed in', { ip });
      res.appendHeader('Set-Cookie', outcome.setCookie);
      res.json(sessionDto(outcome.session.expiresAt));
    }
  };
  const read: AsyncRoute = async (req, res) => {
    const session = await admin.session(req.headers.cookie);
    if (session) res.json(sessionDto(session.expiresAt));
    else refuseUnauthorized(res);
  };
  const signOut: AsyncRoute = async (req, res) => {
    if (!(await admin.signOut(req.headers.cookie))) {
      refuseUnauthorized(res);
      return;
    }
    logger.info('admin signed out');
    res.appendHeader('Set-Cookie', admin.clearCookie);
    res.status(204).end();
  };
  router.post(ADMIN_SESSION_PATH, checkOrigin, express.json({ limit: '1kb' }), signIn);
  router.get(ADMIN_SESSION_PATH, read);
  router.delete(ADMIN_SESSION_PATH, checkOrigin, signOut);
  return router;
}
