import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../errors';

/** A stored image variant's name: content hash and format. Nothing else is ever served under /media/. */
export const MEDIA_KEY = /^[a-f0-9]{64}\.(webp|jpg)$/;

/** Far above any URL we hand out (a media URL is 77 characters); longer ones are probes. */
const MAX_PATH_CHARS = 2048;

/** Case-insensitive because express routes are: /MEDIA/x reaches the /media/:key route. */
const MEDIA_PREFIX = /^\/media\//i;

/** %2f and %5c would let one segment pose as two to a later decoder; a raw backslash is a separator on Windows. */
const ENCODED_SEPARATOR = /%2f|%5c|\\/i;

/**
 * Why a request path can never name something we serve, or null when it is well-formed.
 * Checked before routing because the router decodes params with decodeURIComponent and throws a
 * URIError on a bad %-sequence, which used to surface as a 500 with a stack trace.
 */
export function pathProblem(path: string): string | null {
  if (path.length > MAX_PATH_CHARS) return 'path too long';
  if (ENCODED_SEPARATOR.test(path)) return 'encoded slash or backslash';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return 'undecodable percent-encoding';
  }
  if (decoded.includes('\0')) return 'NUL byte';
  if (decoded.split('/').some((segment) => segment === '.' || segment === '..')) return 'dot segment';
  // Matched on the raw path: our media URLs are never percent-encoded, so an encoded key is a trick.
  if (MEDIA_PREFIX.test(path) && !MEDIA_KEY.test(path.slice('/media/'.length))) return 'not a media key';
  return null;
}

function answer(res: Response, status: number): void {
  res.status(status).type('text/plain').send(STATUS_CODES[status] ?? 'Bad Request');
}

/**
 * Runs after the security headers and before every route, so express.static, the app shell and
 * the routes only ever see well-formed paths. Silent: scanners send these all day, and they are not
 * our failures.
 */
export function rejectMalformedPaths(req: Request, res: Response, next: NextFunction): void {
  if (pathProblem(req.path) === null) next();
  else answer(res, 400);
}

/** The 4xx status a library attached to an error it threw for bad input (router, send, body parsers). */
function clientStatus(e: unknown): number | null {
  if (e instanceof URIError) return 400;
  if (typeof e !== 'object' || e === null) return null;
  const { status, statusCode } = e as { status?: unknown; statusCode?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  return typeof code === 'number' && Number.isInteger(code) && code >= 400 && code < 500 ? code : null;
}

/**
 * The last error handler. A client error keeps its status and earns one warn line without a stack
 * (its message is cut short: it may quote the hostile input); anything else is ours, a 500 with the stack.
 */
export function errorHandler(logger: Logger) {
  // Four parameters: express recognises an error handler by its arity.
  return (e: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const status = clientStatus(e);
    if (status !== null) {
      // JSON.parse's message quotes the body around the fault, and the one JSON body we take is the
      // admin's password: say what failed (body-parser's type), never the body.
      const unparsed = (e as { type?: unknown }).type === 'entity.parse.failed';
      const reason = unparsed ? 'entity.parse.failed' : (e instanceof Error ? e.message : String(e)).slice(0, 200);
      logger.warn('http client error', { status, method: req.method, reason });
      if (!res.headersSent) answer(res, status);
      return;
    }
    logger.error('http request failed', { error: e instanceof Error ? e.stack : String(e) });
    if (!res.headersSent) res.status(500).type('text/plain').send('Internal error');
  };
}
