import { DOCUMENT, DestroyRef, Injectable, inject } from '@angular/core';

/**
 * Keeps a projector or TV from dimming. The lock is dropped whenever the page is hidden, so it is
 * requested again on each return to visible. Unsupported browsers and refusals are fine: the wall
 * still works, the screen may just sleep.
 */
@Injectable()
export class ScreenWakeLock {
  private readonly document = inject(DOCUMENT);
  private sentinel: WakeLockSentinel | null = null;
  private active = false;

  private readonly onVisibilityChange = () => {
    if (this.document.visibilityState === 'visible') void this.acquire();
  };

  constructor() {
    inject(DestroyRef).onDestroy(() => this.release());
  }

  keepAwake(): void {
    if (this.active) return;
    this.active = true;
    this.document.addEventListener('visibilitychange', this.onVisibilityChange);
    void this.acquire();
  }

  release(): void {
    this.active = false;
    this.document.removeEventListener('visibilitychange', this.onVisibilityChange);
    const sentinel = this.sentinel;
    this.sentinel = null;
    sentinel?.release().catch(() => undefined);
  }

  private async acquire(): Promise<void> {
    const wakeLock = this.document.defaultView?.navigator.wakeLock;
    if (!wakeLock || !this.active || (this.sentinel && !this.sentinel.released)) return;
    try {
      const sentinel = await wakeLock.request('screen');
      if (this.active) this.sentinel = sentinel;
      else void sentinel.release().catch(() => undefined);
    } catch {
      // Denied (e.g. battery saver or page not visible): nothing to do.
    }
  }
}
