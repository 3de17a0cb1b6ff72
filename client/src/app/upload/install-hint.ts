import { ChangeDetectionStrategy, Component, InjectionToken, computed, inject, signal } from '@angular/core';
import { InstallPrompt } from '../core/install-prompt';

/** What the hint needs to know about the browser; a spec supplies its own. */
export interface InstallDevice {
  readonly userAgent: string;
  readonly platform: string;
  readonly maxTouchPoints: number;
  /** Opened from the home screen already. */
  readonly standalone: boolean;
}

export const INSTALL_DEVICE = new InjectionToken<InstallDevice>('INSTALL_DEVICE', {
  providedIn: 'root',
  factory: () => ({
    userAgent: navigator.userAgent,
    platform: navigator.platform,
    maxTouchPoints: navigator.maxTouchPoints,
    standalone: matchMedia('(display-mode: standalone)').matches || (navigator as { standalone?: boolean }).standalone === true,
  }),
});

export const INSTALL_HINT_DISMISSED_KEY = 'photobook.install-hint-dismissed';

/**
 * Safari on an iPhone or iPad (iPadOS says "Macintosh" but has touch). It installs only through
 * Share > Add to Home Screen and never offers it by itself; other iOS browsers and in-app views
 * name themselves in the user agent.
 */
export function isIosSafari(device: InstallDevice): boolean {
  const ios = /iPhone|iPad|iPod/.test(device.userAgent) || (device.platform === 'MacIntel' && device.maxTouchPoints > 1);
  const safari = /Version\/[\d.]+.*Safari\//.test(device.userAgent) && !/CriOS|FxiOS|EdgiOS|OPiOS|GSA\/|DuckDuckGo/.test(device.userAgent);
  return ios && safari;
}

function readDismissed(): boolean {
  try {
    return localStorage.getItem(INSTALL_HINT_DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

/**
 * A quiet offer to keep Photobook on the home screen: Safari on iOS gets the two taps it takes,
 * Chromium browsers that offer installing get an Install button, anything else nothing.
 */
@Component({
  selector: 'app-install-hint',
  template: `
    @if (offer() !== 'none') {
      <div class="install-hint" data-testid="install-hint" [attr.data-offer]="offer()">
        @if (offer() === 'ios') {
          <p>Add Photobook to your Home Screen: tap <strong>Share</strong>, then <strong>Add to Home Screen</strong>.</p>
        } @else {
          <p>Install Photobook to share photos straight from your gallery.</p>
          <button type="button" class="install" data-testid="install-button" (click)="install()">Install</button>
        }
        <button type="button" class="dismiss" data-testid="install-hint-dismiss" aria-label="Hide this tip" (click)="dismiss()">✕</button>
      </div>
    }
  `,
  styles: `
    .install-hint {
      display: flex;
      align-items: center;
      gap: 0.5rem;
      padding: 0.4rem 0.4rem 0.4rem 0.9rem;
      border: 1px solid var(--line, #e6ddd3);
      border-radius: 0.75rem;
      background: #fff;
      color: var(--muted, #7a6f66);
      font-size: 0.9rem;
      line-height: 1.35;
    }
    p {
      flex: 1;
      margin: 0;
    }
    strong {
      color: #2a2521;
      font-weight: 600;
    }
    button {
      flex: none;
      min-height: 2.5rem;
      border-radius: 999px;
      font-weight: 600;
      cursor: pointer;
    }
    .install {
      padding: 0 1rem;
      border: 1px solid var(--accent, #b0563a);
      background: transparent;
      color: var(--accent, #b0563a);
    }
    .dismiss {
      width: 2.5rem;
      border: none;
      background: transparent;
      color: var(--muted, #7a6f66);
    }
    .dismiss:hover,
    .dismiss:focus-visible {
      background: var(--line, #e6ddd3);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class InstallHint {
  private readonly prompt = inject(InstallPrompt);
  private readonly device = inject(INSTALL_DEVICE);
  private readonly dismissed = signal(readDismissed());

  protected readonly offer = computed<'ios' | 'prompt' | 'none'>(() => {
    if (this.dismissed() || this.device.standalone) return 'none';
    if (isIosSafari(this.device)) return 'ios';
    return this.prompt.available() ? 'prompt' : 'none';
  });

  protected dismiss(): void {
    this.dismissed.set(true);
    try {
      localStorage.setItem(INSTALL_HINT_DISMISSED_KEY, '1');
    } catch {
      // Storage blocked (private mode): hidden for this visit only.
    }
  }

  protected async install(): Promise<void> {
    // Accepted or not, the offer is spent and the button goes (available() turns false).
    await this.prompt.install();
  }
}
