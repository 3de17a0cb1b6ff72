/**
 * Installs the service worker (sw.js, written by scripts/build-sw.mjs): the cached app shell, and
 * the share target that lets a guest share photos from the gallery. Browsers allow one only in a
 * secure context (HTTPS, or localhost); a party on plain HTTP over the LAN goes on without it, silently.
 */
/**
 * How long after the page's load the worker is installed. A guest who scanned the code picks a photo
 * and taps Upload within seconds; the precache (the other pages' scripts, about 40 KB) waits until
 * the page and that first preview have had the phone's slow uplink to themselves. The first-load
 * bench figure counts the worker's bytes apart from the page's for this reason.
 */
export const SERVICE_WORKER_DELAY_MS = 4_000;

export function registerServiceWorker(nav: Navigator = navigator, secure: boolean = isSecureContext, delayMs = SERVICE_WORKER_DELAY_MS): void {
  if (!secure || !('serviceWorker' in nav)) return;
  const register = () => void nav.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  const later = () => (delayMs > 0 ? setTimeout(register, delayMs) : register());
  if (document.readyState === 'complete') later();
  else window.addEventListener('load', later, { once: true });
}
