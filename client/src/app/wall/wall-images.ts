import { InjectionToken } from '@angular/core';

/** Loads and decodes an image before it is shown; resolves false if it cannot be shown (never rejects). */
export type WallImageLoader = (url: string) => Promise<boolean>;

/** A projector on flaky Wi-Fi: an image that has not arrived by then counts as failed this time. */
const LOAD_TIMEOUT_MS = 20_000;

function loadAndDecode(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const img = new Image();
    let settled = false;
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      img.onload = img.onerror = null;
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), LOAD_TIMEOUT_MS);
    img.decoding = 'async';
    img.onerror = () => finish(false);
    // decode() keeps the first frame off the main thread where supported; a refusal to decode
    // early (some browsers, very large images) is fine as long as the image itself loaded.
    img.onload = () =>
      typeof img.decode === 'function' ? img.decode().then(() => finish(true), () => finish(img.naturalWidth > 0)) : finish(true);
    img.src = url;
  });
}

export const WALL_IMAGE_LOADER = new InjectionToken<WallImageLoader>('WALL_IMAGE_LOADER', {
  providedIn: 'root',
  factory: () => loadAndDecode,
});
