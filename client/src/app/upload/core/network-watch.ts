/** What the upload reads of the browser's network state: navigator.onLine and the online/offline events. */
export interface NetworkTarget extends Pick<EventTarget, 'addEventListener' | 'removeEventListener'> {
  readonly navigator: { readonly onLine: boolean };
}

/**
 * Whether the browser has a network at all. Offline is certain (no Wi-Fi, no mobile data), so
 * uploads wait for the `online` event instead of spending their retries; online only means a
 * network is there, and requests still time out and retry as usual.
 */
export interface NetworkState {
  online(): boolean;
  /** Resolves at once while online, else at the `online` event, or when `signal` aborts. */
  whenOnline(signal?: AbortSignal): Promise<void>;
  /** Waits `ms`, or less when the browser comes back online meanwhile: the retry then goes at once. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** NetworkState over a window, or a worker's global scope (an extension's service worker). */
export class NetworkWatch implements NetworkState {
  constructor(private readonly target: NetworkTarget) {}

  online(): boolean {
    return this.target.navigator.onLine;
  }

  whenOnline(signal?: AbortSignal): Promise<void> {
    return this.target.navigator.onLine ? Promise.resolve() : this.untilOnline(null, signal);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.untilOnline(ms, signal);
  }

  private untilOnline(ms: number | null, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.target.removeEventListener('online', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = ms === null ? undefined : setTimeout(done, ms);
      this.target.addEventListener('online', done);
      signal?.addEventListener('abort', done);
    });
  }
}
