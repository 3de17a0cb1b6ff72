import { Injectable, computed, signal } from '@angular/core';

/** Chromium's install offer (not in TypeScript's DOM types). */
export interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ readonly outcome: 'accepted' | 'dismissed' }>;
}

/**
 * Holds the browser's install offer for our own Install button. Created at start-up (app.config.ts):
 * the event fires once, often before the upload page's chunk has loaded. preventDefault keeps
 * Chrome's own install bar from covering the page's Upload button.
 */
@Injectable({ providedIn: 'root' })
export class InstallPrompt {
  private readonly offer = signal<BeforeInstallPromptEvent | null>(null);
  /** True while the browser would install the app on request. */
  readonly available = computed(() => this.offer() !== null);

  constructor() {
    if (typeof window === 'undefined') return;
    window.addEventListener('beforeinstallprompt', (event) => {
      event.preventDefault();
      this.offer.set(event as BeforeInstallPromptEvent);
    });
    window.addEventListener('appinstalled', () => this.offer.set(null));
  }

  /** Shows the browser's install dialog (an offer can be used once); true when the guest accepted. */
  async install(): Promise<boolean> {
    const offer = this.offer();
    if (!offer) return false;
    this.offer.set(null);
    await offer.prompt();
    return (await offer.userChoice).outcome === 'accepted';
  }
}
