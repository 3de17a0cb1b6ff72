import { randomBytes } from 'node:crypto';

export interface AdminSession {
  readonly id: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/** An admin session lasts a working day of a party; then the host signs in again. */
export const ADMIN_SESSION_MS = 12 * 60 * 60 * 1000;

/**
 * Signed-in admin sessions, in this process's memory: a restart signs the host out, and sign-out
 * deletes the session here. Several replicas will need these in the store (a session record with
 * its expiry, like the jobs' leases) so that a sign-in or sign-out on one counts on all.
 */
export class AdminSessions {
  private readonly sessions = new Map<string, AdminSession>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = ADMIN_SESSION_MS,
  ) {}

  create(): AdminSession {
    this.dropExpired();
    const session = { id: randomBytes(24).toString('base64url'), expiresAt: this.now() + this.ttlMs };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, or null (never issued, signed out, or expired). */
  get(id: string): AdminSession | null {
    const session = this.sessions.get(id);
    if (!session) return null;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return null;
    }
    return session;
  }

  delete(id: string): boolean {
    return this.sessions.delete(id);
  }

  /** Sign-ins that were never signed out must not pile up. */
  private dropExpired(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
  }
}
