import type { Request } from 'express';
import express from 'express';
import { JOIN_INFO_PATH, JOIN_QR_PATH, type JoinInfo } from '@photobook/shared';
import { qrSvg } from '../print/qr';

export interface JoinDeps {
  /** PUBLIC_URL: wins when set (behind a proxy or a custom domain). */
  readonly publicUrl: string | null;
  /** This machine's LAN address, used when the wall itself was opened on localhost. */
  readonly lanHost: string | null;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

/**
 * The origin (scheme, host, port) of absolute URLs a guest's phone or a messenger will open: never
 * "localhost", which would point at the phone. PUBLIC_URL wins; else the request's own Host.
 */
export function originFor(req: Request, deps: JoinDeps): string {
  if (deps.publicUrl) return new URL(deps.publicUrl).origin;
  const host = req.get('host') ?? '';
  const parsed = URL.parse(`http://${host}`);
  // A missing or malformed Host header gets the LAN address rather than a 500.
  if ((!parsed || LOOPBACK.test(parsed.hostname)) && deps.lanHost) {
    return `http://${deps.lanHost}${parsed?.port ? `:${parsed.port}` : ''}`;
  }
  return `${req.protocol}://${parsed?.host ?? 'localhost'}`;
}

/** The upload URL as a guest's phone must see it. */
export function uploadUrlFor(req: Request, deps: JoinDeps): string {
  return `${originFor(req, deps)}/upload`;
}

export function joinRouter(deps: JoinDeps): express.Router {
  const router = express.Router();
  router.get(JOIN_INFO_PATH, (req, res) => {
    const info: JoinInfo = { uploadUrl: uploadUrlFor(req, deps) };
    res.setHeader('Cache-Control', 'no-cache');
    res.json(info);
  });
  router.get(JOIN_QR_PATH, async (req, res) => {
    const svg = await qrSvg(uploadUrlFor(req, deps));
    res.setHeader('Cache-Control', 'no-cache');
    res.type('image/svg+xml').send(svg);
  });
  return router;
}
