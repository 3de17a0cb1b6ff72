/**
 * Installs the service worker (sw.js, written by scripts/build-sw.mjs): the cached app shell, and
 * the share target that lets a guest share photos from the gallery. Browsers allow one only in a
 * secure context (HTTPS, or localhost); a party on plain HTTP over the LAN goes on without it, silently.
 */
export function registerServiceWorker(nav: Navigator = navigator, secure: boolean = isSecureContext): void {
  if (!secure || !('serviceWorker' in nav)) return;
  const register = () => void nav.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  // After the page's own loading: the shell's precache then does not compete with it.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
