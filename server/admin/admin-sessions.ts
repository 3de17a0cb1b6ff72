import { createHash, randomBytes } from 'node:crypto';
import type { AdminStore } from '../store/types';

export interface AdminSession {
  readonly id: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/** An admin session lasts a working day of a party; then the host signs in again. */
export const ADMIN_SESSION_MS = 12 * 60 * 60 * 1000;

type SessionStore = Pick<AdminStore, 'createAdminSession' | 'adminSessionExpiry' | 'deleteAdminSession'>;

/**
 * Signed-in admin sessions, kept in the store so that every replica honours a sign-in and a
 * sign-out, and a restart keeps the host signed in. The store holds a hash of the session id: a
 * copy of the database (a backup) signs nobody in.
 */
export class AdminSessions {
  constructor(
    private readonly store: SessionStore,
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = ADMIN_SESSION_MS,
  ) {}

  async create(): Promise<AdminSession> {
    const session = { id: randomBytes(24).toString('base64url'), expiresAt: this.now() + this.ttlMs };
    await this.store.createAdminSession(storedId(session.id), session.expiresAt, this.now());
    return session;
  }

  /** The live session with this id, or null (never issued, signed out, or expired). */
  async get(id: string): Promise<AdminSession | null> {
    const expiresAt = await this.store.adminSessionExpiry(storedId(id), this.now());
    return expiresAt === null ? null : { id, expiresAt };
  }

  delete(id: string): Promise<boolean> {
    return this.store.deleteAdminSession(storedId(id));
  }
}

function storedId(id: string): string {
  return createHash('sha256').update(`admin-session:${id}`).digest('base64url');
}
