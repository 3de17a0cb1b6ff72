import { DestroyRef, Injectable, InjectionToken, inject, signal } from '@angular/core';

/** What the page reads of the browser's network state: navigator.onLine and the online/offline events. */
export interface NetworkWindow extends Pick<EventTarget, 'addEventListener' | 'removeEventListener'> {
  readonly navigator: { readonly onLine: boolean };
}

/** Replaceable in specs (a real browser cannot be taken offline from a page). */
export const NETWORK_WINDOW = new InjectionToken<NetworkWindow>('NETWORK_WINDOW', {
  providedIn: 'root',
  factory: () => window,
});

/**
 * Whether the browser has a network at all. Offline is certain (no Wi-Fi, no mobile data), so
 * uploads wait for the `online` event instead of spending their retries; online only means a
 * network is there, and requests still time out and retry as usual.
 */
@Injectable({ providedIn: 'root' })
export class OnlineStatus {
  private readonly window = inject(NETWORK_WINDOW);
  private readonly state = signal(this.window.navigator.onLine);
  readonly online = this.state.asReadonly();

  constructor() {
    const update = () => this.state.set(this.window.navigator.onLine);
    this.window.addEventListener('online', update);
    this.window.addEventListener('offline', update);
    inject(DestroyRef).onDestroy(() => {
      this.window.removeEventListener('online', update);
      this.window.removeEventListener('offline', update);
    });
  }

  /** Resolves at once while online, else at the `online` event, or when `signal` aborts. */
  whenOnline(signal?: AbortSignal): Promise<void> {
    return this.window.navigator.onLine ? Promise.resolve() : this.untilOnline(null, signal);
  }

  /** Waits `ms`, or less when the browser comes back online meanwhile: the retry then goes at once. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.untilOnline(ms, signal);
  }

  private untilOnline(ms: number | null, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.window.removeEventListener('online', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = ms === null ? undefined : setTimeout(done, ms);
      this.window.addEventListener('online', done);
      signal?.addEventListener('abort', done);
    });
  }
}
