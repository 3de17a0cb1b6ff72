import { DestroyRef, Injectable, InjectionToken, inject, signal } from '@angular/core';
import { NetworkWatch, type NetworkState, type NetworkTarget } from './core/network-watch';

/** What the page reads of the browser's network state: navigator.onLine and the online/offline events. */
export type NetworkWindow = NetworkTarget;

/** Replaceable in specs (a real browser cannot be taken offline from a page). */
export const NETWORK_WINDOW = new InjectionToken<NetworkWindow>('NETWORK_WINDOW', {
  providedIn: 'root',
  factory: () => window,
});

/** The page's network state as a signal; the waits are NetworkWatch's (shared with the browser extension). */
@Injectable({ providedIn: 'root' })
export class OnlineStatus implements NetworkState {
  private readonly window = inject(NETWORK_WINDOW);
  private readonly watch = new NetworkWatch(this.window);
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
    return this.watch.whenOnline(signal);
  }

  /** Waits `ms`, or less when the browser comes back online meanwhile: the retry then goes at once. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.watch.sleep(ms, signal);
  }
}
