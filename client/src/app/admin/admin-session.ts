import { Injectable, InjectionToken, inject } from '@angular/core';
import { ADMIN_SESSION_PATH, type AdminSessionDto } from '@photobook/shared';

/** The browser's fetch, replaceable in specs. */
export const ADMIN_FETCH = new InjectionToken<typeof fetch>('ADMIN_FETCH', {
  providedIn: 'root',
  factory: () => (input, init) => fetch(input, init),
});

/** What a sign-in attempt came to, in the words the sign-in card needs. */
export type SignInOutcome =
  | { readonly kind: 'signed-in'; readonly session: AdminSessionDto }
  | { readonly kind: 'wrong-password' }
  | { readonly kind: 'locked-out'; readonly retryAfterSeconds: number }
  | { readonly kind: 'failed'; readonly message: string };

/** Without a usable Retry-After the lockout still needs some wait to count down. */
const FALLBACK_LOCKOUT_SECONDS = 60;

/**
 * The admin's HTTP session (an HttpOnly cookie the socket handshake then carries). Errors may come
 * as JSON {code, message} or as plain text; the status says what happened either way.
 */
@Injectable({ providedIn: 'root' })
export class AdminSession {
  private readonly fetch = inject(ADMIN_FETCH);

  async signIn(password: string): Promise<SignInOutcome> {
    const response = await this.send('POST', JSON.stringify({ password }));
    if (!response) return { kind: 'failed', message: 'Can’t reach the server. Check the connection and try again.' };
    if (response.ok) {
      const session = await readSession(response);
      return session ? { kind: 'signed-in', session } : { kind: 'failed', message: 'The server sent an unexpected answer.' };
    }
    if (response.status === 401) return { kind: 'wrong-password' };
    if (response.status === 429) return { kind: 'locked-out', retryAfterSeconds: retryAfterSeconds(response) };
    return { kind: 'failed', message: await failureMessage(response) };
  }

  /** The live session, or null (signed out, expired, or the server cannot be reached). */
  async current(): Promise<AdminSessionDto | null> {
    const response = await this.send('GET');
    return response?.ok ? readSession(response) : null;
  }

  async signOut(): Promise<void> {
    await this.send('DELETE');
  }

  private async send(method: string, body?: string): Promise<Response | null> {
    try {
      return await this.fetch(ADMIN_SESSION_PATH, {
        method,
        credentials: 'same-origin',
        cache: 'no-store',
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body,
      });
    } catch {
      return null;
    }
  }
}

async function readSession(response: Response): Promise<AdminSessionDto | null> {
  try {
    const body = (await response.json()) as Partial<AdminSessionDto> | null;
    return body?.signedIn === true && typeof body.expiresAt === 'number' ? { signedIn: true, expiresAt: body.expiresAt } : null;
  } catch {
    return null;
  }
}

/** Retry-After is seconds, or (allowed by HTTP) a date. */
export function retryAfterSeconds(response: Response, now = Date.now()): number {
  const header = response.headers.get('retry-after')?.trim() ?? '';
  if (/^\d+$/.test(header)) return Math.max(1, Number(header));
  const date = Date.parse(header);
  if (!Number.isNaN(date)) return Math.max(1, Math.ceil((date - now) / 1000));
  return FALLBACK_LOCKOUT_SECONDS;
}

async function failureMessage(response: Response): Promise<string> {
  if (response.status === 400) return 'Please enter the password.';
  if (response.status === 403) {
    return 'The server refused sign-in from this address. Open the console at the address the server prints.';
  }
  const words = await serverWords(response);
  const base = response.status >= 500 ? 'Something went wrong on the server.' : 'Sign-in failed.';
  return words ? `${base} (${words})` : `${base} Please try again.`;
}

/** The server's own sentence, from JSON {message} or a short plain-text body. */
async function serverWords(response: Response): Promise<string> {
  let text = '';
  try {
    text = (await response.text()).trim();
  } catch {
    return '';
  }
  try {
    const json = JSON.parse(text) as { message?: unknown };
    if (typeof json?.message === 'string') return json.message.slice(0, 200);
  } catch {
    // plain text
  }
  return text.length <= 120 && !text.startsWith('<') ? text : '';
}
