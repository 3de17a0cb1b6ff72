import { createHmac } from 'node:crypto';

/**
 * What the store knows a guest by: a keyed hash of the cookie's random id, so neither the database
 * nor a backup of it holds an id that could be put in a cookie. Deterministic, so the same cookie
 * finds the same photos on every replica (they share COOKIE_SECRET).
 */
export class OwnerKeys {
  constructor(private readonly secret: string) {}

  keyOf(uid: string): string {
    return createHmac('sha256', this.secret).update(`owner-key:${uid}`).digest('base64url');
  }

  /** What the store knows a client address by (per-address upload limits), never the address itself. */
  addressKey(address: string): string {
    return createHmac('sha256', this.secret).update(`address:${address}`).digest('base64url').slice(0, 22);
  }

  /** What a recovery code is stored as: keyed, so a stolen database does not allow guessing offline. */
  codeHash(symbols: string): string {
    return createHmac('sha256', this.secret).update(`recovery-code:${symbols}`).digest('base64url');
  }
}
