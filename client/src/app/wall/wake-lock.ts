import { DOCUMENT, DestroyRef, Injectable, inject } from '@angular/core';

/** A lock the system took back (battery saver, a dialog) is asked for again this often. */
const RETRY_MS = 60_000;

/**
 * Keeps a projector or TV from dimming, all night. The lock is dropped whenever the page is
 * hidden and may be revoked by the system at any time, so it is asked for again on each return to
 * visible, when it is released, every minute while missing, and on any key or tap (some browsers
 * grant it only after a user gesture). Browsers without the Screen Wake Lock API (Chromium 84+,
 * Safari 16.4+ and Firefox 126+ have it) and refusals are fine: the wall still works, the screen
 * may just sleep, so the power settings of the device should keep it on too.
 */
@Injectable()
export class ScreenWakeLock {
  private readonly document = inject(DOCUMENT);
  private sentinel: WakeLockSentinel | null = null;
  private active = false;
  private requesting = false;
  private retryTimer: ReturnType<typeof setInterval> | undefined;

  private readonly onVisibilityChange = () => {
    if (this.document.visibilityState === 'visible') void this.acquire();
  };
  private readonly onRelease = () => {
    this.sentinel = null;
    if (this.document.visibilityState === 'visible') void this.acquire();
  };

  constructor() {
    inject(DestroyRef).onDestroy(() => this.release());
  }

  keepAwake(): void {
    if (this.active) return;
    this.active = true;
    this.document.addEventListener('visibilitychange', this.onVisibilityChange);
    this.retryTimer = setInterval(() => void this.acquire(), RETRY_MS);
    void this.acquire();
  }

  /** A key press or tap: a good moment to ask again if the lock is missing. */
  retry(): void {
    if (this.active) void this.acquire();
  }

  get held(): boolean {
    return !!this.sentinel && !this.sentinel.released;
  }

  release(): void {
    this.active = false;
    clearInterval(this.retryTimer);
    this.document.removeEventListener('visibilitychange', this.onVisibilityChange);
    const sentinel = this.sentinel;
    this.sentinel = null;
    sentinel?.removeEventListener('release', this.onRelease);
    sentinel?.release().catch(() => undefined);
  }

  private async acquire(): Promise<void> {
    const wakeLock = this.document.defaultView?.navigator.wakeLock;
    if (!wakeLock || !this.active || this.requesting || this.held || this.document.visibilityState !== 'visible') return;
    this.requesting = true;
    try {
      const sentinel = await wakeLock.request('screen');
      if (this.active) {
        this.sentinel = sentinel;
        sentinel.addEventListener('release', this.onRelease);
      } else void sentinel.release().catch(() => undefined);
    } catch {
      // Denied (battery saver, no user gesture yet, page not visible): the next retry may succeed.
    } finally {
      this.requesting = false;
    }
  }
}
