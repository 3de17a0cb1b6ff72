import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse, serialize } from 'cookie';

export const OWNER_COOKIE = 'pb_owner';
const ONE_YEAR_S = 365 * 24 * 60 * 60;
const UID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * The guest's ownership id: 128 random bits in a signed, HttpOnly, SameSite=Lax cookie.
 * The id is only ever compared on the server; no payload carries it.
 */
export class OwnerCookie {
  constructor(
    private readonly secret: string,
    private readonly secure: boolean,
  ) {}

  private sign(uid: string): string {
    return createHmac('sha256', this.secret).update(uid).digest('base64url');
  }

  /** The verified uid in a Cookie header, or null for a missing, malformed or forged cookie. */
  read(cookieHeader: string | undefined): string | null {
    if (!cookieHeader) return null;
    const value = parse(cookieHeader)[OWNER_COOKIE];
    if (!value) return null;
    const dot = value.indexOf('.');
    const uid = value.slice(0, dot);
    if (dot < 0 || !UID_PATTERN.test(uid)) return null;
    const given = Buffer.from(value.slice(dot + 1));
    const expected = Buffer.from(this.sign(uid));
    return given.length === expected.length && timingSafeEqual(given, expected) ? uid : null;
  }

  issue(): { uid: string; header: string } {
    const uid = randomBytes(16).toString('base64url');
    const header = serialize(OWNER_COOKIE, `${uid}.${this.sign(uid)}`, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      path: '/',
      maxAge: ONE_YEAR_S,
    });
    return { uid, header };
  }

  /** Returns the request's uid, issuing a new cookie on the response when there is none. */
  ensure(req: IncomingMessage, res: ServerResponse): string {
    const uid = this.read(req.headers.cookie);
    if (uid) return uid;
    const issued = this.issue();
    res.appendHeader('Set-Cookie', issued.header);
    return issued.uid;
  }
}
