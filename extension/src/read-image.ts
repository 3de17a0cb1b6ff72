import type { SniffedType } from '@photobook/shared';
import type { ExtensionApi } from './browser-api';
import { NOTICE_TEXT } from './notice-text';

/** The image a guest right-clicked, and where: the frame can read what the page itself shows. */
export interface ImageSource {
  readonly url: string;
  readonly tabId?: number;
  readonly frameId?: number;
}

export type ReadImage =
  | { readonly ok: true; readonly blob: Blob }
  | { readonly ok: false; readonly tooLarge: number }
  | { readonly ok: false; readonly message: string };

/** What the page's frame hands back (JSON-serialisable: extension messaging carries no Blob). */
type PageImage = { readonly dataUrl: string } | { readonly tooLarge: number } | { readonly status: number } | { readonly failed: true };

/**
 * Fetches the image in the extension itself: a data: URL directly; an http(s) one from the service
 * worker, which works when the site allows it (CORS) or the extension may access the host. Otherwise,
 * and for a page's blob: URL (which only the page can read), the frame it was clicked in fetches it
 * with the page's own rights (activeTab, granted by the right-click). The server never fetches a URL.
 */
export async function readImage(api: ExtensionApi, source: ImageSource, maxBytes: number): Promise<ReadImage> {
  let url: URL;
  try {
    url = new URL(source.url);
  } catch {
    return { ok: false, message: NOTICE_TEXT.notAnAddress };
  }
  if (!['http:', 'https:', 'data:', 'blob:'].includes(url.protocol)) return { ok: false, message: NOTICE_TEXT.notAnAddress };
  let status: number | null = null;
  if (url.protocol !== 'blob:') {
    try {
      const response = await fetch(url.href);
      if (response.ok) return await bodyOf(response, maxBytes);
      status = response.status;
    } catch {
      // Refused by CORS or unreachable from here: the page may still read it.
    }
  }
  const fromPage = await readInFrame(api, source, maxBytes);
  if (fromPage === null || 'failed' in fromPage) {
    return { ok: false, message: status === null ? NOTICE_TEXT.unreadable : NOTICE_TEXT.httpError(status) };
  }
  if ('status' in fromPage) return { ok: false, message: NOTICE_TEXT.httpError(fromPage.status) };
  if ('tooLarge' in fromPage) return { ok: false, tooLarge: fromPage.tooLarge };
  return bodyOf(await fetch(fromPage.dataUrl), maxBytes);
}

/** A declared length over the limit is refused unread; the bytes are counted anyway. */
async function bodyOf(response: Response, maxBytes: number): Promise<ReadImage> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isSafeInteger(declared) && declared > maxBytes) {
    void response.body?.cancel();
    return { ok: false, tooLarge: declared };
  }
  const blob = await response.blob();
  return blob.size > maxBytes ? { ok: false, tooLarge: blob.size } : { ok: true, blob };
}

async function readInFrame(api: ExtensionApi, source: ImageSource, maxBytes: number): Promise<PageImage | null> {
  if (source.tabId === undefined) return null;
  try {
    const [first] = await api.scripting.executeScript({
      target: { tabId: source.tabId, ...(source.frameId !== undefined ? { frameIds: [source.frameId] } : {}) },
      func: readInPage,
      args: [source.url, maxBytes],
    });
    return first?.result ?? null;
  } catch {
    return null; // no access to that page (no right-click there, or a browser page)
  }
}

/** Runs inside the page's frame (serialised: it may use nothing from this file). */
async function readInPage(url: string, maxBytes: number): Promise<PageImage> {
  try {
    const response = await fetch(url, { credentials: 'include' });
    if (!response.ok) return { status: response.status };
    const blob = await response.blob();
    if (blob.size > maxBytes) return { tooLarge: blob.size };
    const dataUrl = await new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(blob);
    });
    return { dataUrl };
  } catch {
    return { failed: true };
  }
}

const EXTENSIONS: Record<SniffedType, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', gif: 'gif', heic: 'heic', avif: 'avif' };

/** The file name the upload declares: the URL's last path segment, else "image", with the type's extension. */
export function imageName(address: string, type: SniffedType): string {
  let last = '';
  try {
    const url = new URL(address);
    if (url.protocol === 'http:' || url.protocol === 'https:') last = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  } catch {
    last = '';
  }
  const base = last.replace(/[\u0000-\u001f\u007f-\u009f/\\]/g, '').trim().slice(0, 200) || 'image';
  return /\.[a-z0-9]{2,5}$/i.test(base) ? base : `${base}.${EXTENSIONS[type]}`;
}
