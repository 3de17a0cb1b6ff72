import { InjectionToken } from '@angular/core';
import { sharePath } from '@photobook/shared';

/**
 * The browser's ways to pass a link on, behind a token so specs can play each browser. The Web
 * Share API and the async Clipboard API exist only in secure contexts (HTTPS or localhost): a party
 * on plain http://192.168.x.x has neither, so copying falls back to a selected text field and
 * execCommand('copy'), which still works there on a tap.
 */
export interface ShareApi {
  /** navigator.share, or null where the browser has none (most desktops, every insecure context). */
  readonly share: ((data: ShareData) => Promise<void>) | null;
  /** Puts text on the clipboard; `within` is where a fallback field may go (inside an open modal dialog). */
  copy(text: string, within: HTMLElement): Promise<void>;
}

function legacyCopy(text: string, within: HTMLElement): Promise<void> {
  const field = document.createElement('textarea');
  field.value = text;
  field.setAttribute('readonly', '');
  field.style.position = 'fixed';
  field.style.opacity = '0';
  within.appendChild(field);
  try {
    field.select();
    return document.execCommand('copy') ? Promise.resolve() : Promise.reject(new Error('copy refused'));
  } finally {
    field.remove();
  }
}

function browserShareApi(): ShareApi {
  const nav = typeof navigator === 'undefined' ? undefined : navigator;
  return {
    share: typeof nav?.share === 'function' ? (data) => nav.share(data) : null,
    copy: (text, within) =>
      nav?.clipboard?.writeText ? nav.clipboard.writeText(text).catch(() => legacyCopy(text, within)) : legacyCopy(text, within),
  };
}

export const SHARE_API = new InjectionToken<ShareApi>('SHARE_API', { providedIn: 'root', factory: browserShareApi });

/** The photo's public page (/p/:id, with its preview card for chat apps), absolute on this page's origin. */
export function shareUrl(id: string, origin = location.origin): string {
  return new URL(sharePath(id), origin).href;
}
