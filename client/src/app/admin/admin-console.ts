import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import type { AdminSessionDto, AdminStateDto, AdminStats, EventSettingsPatch } from '@photobook/shared';
import { AdminSocketService } from '../core/admin-socket.service';
import type { ClientError, ClientResult } from '../core/client-result';
import { messageFor } from '../core/error-messages';
import { AdminSession, type SignInOutcome } from './admin-session';

export type ConsolePhase = 'checking' | 'signed-out' | 'signed-in';

export interface Notice {
  readonly id: number;
  readonly text: string;
  readonly tone: 'info' | 'error';
}

export const NOTICE_MS = 5_000;
export const STATS_POLL_MS = 5_000;
/** photos:changed can come many times a second in a burst; stats follow at most this often. */
export const STATS_THROTTLE_MS = 1_500;
/** setTimeout's ceiling; a session longer than ~24 days is re-checked then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The words for a failed console request; "mine" wording fits a host too (no "tap Upload"). */
export function adminMessage(error: ClientError): string {
  return messageFor(error, 'mine');
}

/**
 * The console as a whole: the session (sign-in, expiry, sign-out), the socket's lifecycle, the
 * host's switches and settings (AdminStateDto), stats, and the page's notices. One per /admin page.
 */
@Injectable()
export class AdminConsole {
  private readonly session = inject(AdminSession);
  private readonly socket = inject(AdminSocketService);
  private readonly phaseState = signal<ConsolePhase>('checking');
  private readonly signInNoticeState = signal<string | null>(null);
  private readonly stateValue = signal<AdminStateDto | null>(null);
  private readonly statsValue = signal<AdminStats | null>(null);
  private readonly noticesState = signal<readonly Notice[]>([]);
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private statsTimer: ReturnType<typeof setTimeout> | undefined;
  private lastStatsAt = 0;
  private noticeId = 0;

  readonly phase = this.phaseState.asReadonly();
  /** Why the console is back at sign-in (session over), shown on the card. */
  readonly signInNotice = this.signInNoticeState.asReadonly();
  readonly state = this.stateValue.asReadonly();
  readonly stats = this.statsValue.asReadonly();
  readonly notices = this.noticesState.asReadonly();
  readonly connected = this.socket.connected;
  readonly title = computed(() => this.stateValue()?.settings.title ?? '');
  /** Uploads are refused until the host frees space: full, or free space below the reserve. */
  readonly storageLow = computed(() => {
    const storage = this.statsValue()?.storage;
    if (!storage) return false;
    return storage.full || (storage.freeBytes !== null && storage.freeBytes < storage.reserveBytes);
  });

  constructor() {
    const subscriptions = [
      this.socket.connects$.subscribe(() => void this.refresh()),
      this.socket.stateChanged$.subscribe((state) => this.stateValue.set(state)),
      this.socket.photosChanged$.subscribe(() => this.statsSoon()),
      this.socket.ended$.subscribe(() => this.end('Your session has ended. Please sign in again.')),
    ];
    const onVisibility = () => this.statsSoon();
    document.addEventListener('visibilitychange', onVisibility);
    inject(DestroyRef).onDestroy(() => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      document.removeEventListener('visibilitychange', onVisibility);
      this.stopTimers();
      this.socket.close();
    });
    void this.resume();
  }

  /** A session cookie from earlier (a reload) signs the console in without a password. */
  private async resume(): Promise<void> {
    const session = await this.session.current();
    if (this.phaseState() !== 'checking') return;
    if (session) this.start(session);
    else this.phaseState.set('signed-out');
  }

  async signIn(password: string): Promise<SignInOutcome> {
    const outcome = await this.session.signIn(password);
    if (outcome.kind === 'signed-in') this.start(outcome.session);
    return outcome;
  }

  async signOut(): Promise<void> {
    await this.session.signOut();
    this.end(null);
  }

  setPaused(paused: boolean, message: string): Promise<ClientResult<AdminStateDto>> {
    return this.track(paused ? this.socket.request('admin:pause', { message }) : this.socket.request('admin:resume', {}));
  }

  setApproval(required: boolean): Promise<ClientResult<AdminStateDto>> {
    return this.track(this.socket.request('admin:approval', { required }));
  }

  saveSettings(patch: EventSettingsPatch): Promise<ClientResult<AdminStateDto>> {
    return this.track(this.socket.request('admin:settings', patch));
  }

  async refreshStats(): Promise<void> {
    clearTimeout(this.statsTimer);
    this.statsTimer = undefined;
    this.lastStatsAt = Date.now();
    const result = await this.socket.request('admin:stats', {});
    if (result.ok) this.statsValue.set(result.value);
  }

  /** Stats soon, but not more often than STATS_THROTTLE_MS, and only while someone can see them. */
  statsSoon(): void {
    if (this.phaseState() !== 'signed-in' || document.visibilityState === 'hidden' || this.statsTimer) return;
    const wait = Math.max(0, this.lastStatsAt + STATS_THROTTLE_MS - Date.now());
    this.statsTimer = setTimeout(() => void this.refreshStats(), wait);
  }

  notify(text: string, tone: Notice['tone'] = 'info'): void {
    const notice: Notice = { id: ++this.noticeId, text, tone };
    this.noticesState.update((list) => [...list.slice(-2), notice]);
    setTimeout(() => this.dismiss(notice.id), NOTICE_MS);
  }

  dismiss(id: number): void {
    this.noticesState.update((list) => list.filter((n) => n.id !== id));
  }

  private start(session: AdminSessionDto): void {
    this.signInNoticeState.set(null);
    this.phaseState.set('signed-in');
    this.socket.open();
    const left = Math.min(MAX_TIMER_MS, Math.max(0, session.expiresAt - Date.now()));
    this.expiryTimer = setTimeout(() => void this.recheck(), left);
    this.pollTimer = setInterval(() => {
      if (document.visibilityState !== 'hidden') void this.refreshStats();
    }, STATS_POLL_MS);
  }

  /** At the session's expiry: still signed in (a longer session than we were told)? */
  private async recheck(): Promise<void> {
    const session = await this.session.current();
    if (this.phaseState() !== 'signed-in') return;
    if (session && session.expiresAt > Date.now()) {
      this.stopTimers();
      this.start(session);
    } else {
      this.end('Your session has ended. Please sign in again.');
    }
  }

  private end(reason: string | null): void {
    this.stopTimers();
    this.socket.close();
    this.stateValue.set(null);
    this.statsValue.set(null);
    this.noticesState.set([]);
    this.signInNoticeState.set(reason);
    this.phaseState.set('signed-out');
  }

  private async refresh(): Promise<void> {
    const [state] = await Promise.all([this.socket.request('admin:state', {}), this.refreshStats()]);
    if (state.ok) this.stateValue.set(state.value);
  }

  private async track(request: Promise<ClientResult<AdminStateDto>>): Promise<ClientResult<AdminStateDto>> {
    const result = await request;
    if (result.ok) this.stateValue.set(result.value);
    return result;
  }

  private stopTimers(): void {
    clearTimeout(this.expiryTimer);
    clearInterval(this.pollTimer);
    clearTimeout(this.statsTimer);
    this.statsTimer = undefined;
  }
}
