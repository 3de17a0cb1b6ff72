import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse, serialize } from 'cookie';

export const ADMIN_COOKIE = 'pb_admin';
const VALUE_PATTERN = /^([A-Za-z0-9_-]{32})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

/** What a valid admin cookie names: a session id and the expiry it was issued with. */
export interface AdminCookieValue {
  readonly sessionId: string;
  readonly expiresAt: number;
}

/**
 * The admin's session cookie: "id.expiry.hmac", HttpOnly and SameSite=Strict (no other site can
 * make the browser send it). The signature only keeps forgeries from reaching the session table;
 * the session itself lives on the server. Apart from the guest's pb_owner (another name, another
 * HMAC domain), so an owner cookie grants nothing here.
 */
export class AdminCookie {
  constructor(
    private readonly secret: string,
    private readonly secure: boolean,
  ) {}

  private sign(sessionId: string, expiresAt: number): string {
    return createHmac('sha256', this.secret).update(`admin-session:${sessionId}.${expiresAt}`).digest('base64url');
  }

  /** The signed value in a Cookie header, or null when missing, malformed or forged. */
  read(cookieHeader: string | undefined): AdminCookieValue | null {
    if (!cookieHeader) return null;
    const match = VALUE_PATTERN.exec(parse(cookieHeader)[ADMIN_COOKIE] ?? '');
    if (!match) return null;
    const [, sessionId, expiry, signature] = match as unknown as [string, string, string, string];
    const expiresAt = Number(expiry);
    const given = Buffer.from(signature);
    const expected = Buffer.from(this.sign(sessionId, expiresAt));
    return given.length === expected.length && timingSafeEqual(given, expected) ? { sessionId, expiresAt } : null;
  }

  /** A Set-Cookie header for the session, living as long as it does. */
  issue(sessionId: string, expiresAt: number, now: number): string {
    return serialize(ADMIN_COOKIE, `${sessionId}.${expiresAt}.${this.sign(sessionId, expiresAt)}`, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.secure,
      path: '/',
      // Rounded: the session was made a moment before this cookie.
      maxAge: Math.max(0, Math.round((expiresAt - now) / 1000)),
    });
  }

  /** A Set-Cookie header that removes the cookie (sign-out). */
  clear(): string {
    return serialize(ADMIN_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure: this.secure, path: '/', maxAge: 0 });
  }
}
