import { setTimeout as sleep } from 'node:timers/promises';
import type { AdminCookie } from '../http/admin-cookie';
import type { SignInLimiter } from '../limits/sign-in-limiter';
import type { AdminStore } from '../store/types';
import { verifyAdminPassword } from './admin-password';
import type { AdminSession, AdminSessions } from './admin-sessions';

export interface AdminAccessDeps {
  /** Holds the password's hash; read at each sign-in, so `npm run admin:password` counts at once. */
  readonly store: Pick<AdminStore, 'readAdminSecret'>;
  readonly sessions: AdminSessions;
  readonly cookie: AdminCookie;
  readonly limiter: SignInLimiter;
  readonly now: () => number;
}

export type SignInOutcome =
  | { readonly kind: 'signed-in'; readonly session: AdminSession; readonly setCookie: string }
  | { readonly kind: 'wrong-password' }
  | { readonly kind: 'locked-out'; readonly retryAfterMs: number };

/** Who is the admin: the password check behind its limiter, and the session a cookie stands for. */
export class AdminAccess {
  constructor(private readonly deps: AdminAccessDeps) {}

  async signIn(password: string, ip: string): Promise<SignInOutcome> {
    const { limiter, sessions, cookie, now } = this.deps;
    const checked = await limiter.oneAtATime(ip, async () => {
      const retryAfterMs = await limiter.retryAfterMs(ip);
      if (retryAfterMs > 0) return { kind: 'locked-out', retryAfterMs } as const;
      if (!(await verifyAdminPassword(password, await this.deps.store.readAdminSecret()))) {
        return { kind: 'wrong-password', holdBackMs: await limiter.failed(ip) } as const;
      }
      await limiter.succeeded(ip);
      return { kind: 'right' } as const;
    });
    if (checked.kind === 'locked-out') return checked;
    if (checked.kind === 'wrong-password') {
      // Held back (outside the turn) so that guessing is slow even below the lockout.
      await sleep(checked.holdBackMs);
      return { kind: 'wrong-password' };
    }
    const session = await sessions.create();
    return { kind: 'signed-in', session, setCookie: cookie.issue(session.id, session.expiresAt, now()) };
  }

  /** The live session a Cookie header carries, or null (none, forged, signed out or expired). */
  async session(cookieHeader: string | undefined): Promise<AdminSession | null> {
    const value = this.deps.cookie.read(cookieHeader);
    if (!value) return null;
    const session = await this.deps.sessions.get(value.sessionId);
    return session && session.expiresAt === value.expiresAt ? session : null;
  }

  /** Ends the session the header carries; false when it carries none. */
  async signOut(cookieHeader: string | undefined): Promise<boolean> {
    const session = await this.session(cookieHeader);
    return session !== null && (await this.deps.sessions.delete(session.id));
  }

  /** Is the session with this id still live (checked again at every admin event)? */
  async stillValid(sessionId: string): Promise<boolean> {
    return (await this.deps.sessions.get(sessionId)) !== null;
  }

  get clearCookie(): string {
    return this.deps.cookie.clear();
  }
}
