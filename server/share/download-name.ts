import { extensionFor, slug } from '../export/manifest';

/** As long as the ASCII slug may be (export/manifest.ts), so a plain title gives one name, not two. */
const MAX_NAME_CHARS = 32;

/** The title as a file-name slug in any script ("婚礼 2026" -> "婚礼-2026"): letters and digits, hyphens between. */
function unicodeSlug(text: string): string {
  const chars = Array.from(
    text
      .normalize('NFC')
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, ''),
  );
  return chars.slice(0, MAX_NAME_CHARS).join('').replace(/-+$/, '');
}

/** RFC 5987's attr-char: what percent-encoding leaves alone, minus the characters it must not. */
function rfc5987(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Content-Disposition for a guest's download: "anna-ben-41.jpg" (the event's title, the photo's feed
 * number, the extension its bytes call for). A title with letters beyond ASCII keeps them in
 * filename* (RFC 6266 and 5987, which every current browser reads), with a plain ASCII filename
 * beside it for the rest; a title with none at all becomes "photo".
 */
export function downloadDisposition(title: string, n: number, contentType: string): string {
  const ext = extensionFor(contentType);
  const ascii = `${slug(title) || 'photo'}-${n}.${ext}`;
  const full = `${unicodeSlug(title) || 'photo'}-${n}.${ext}`;
  const plain = `attachment; filename="${ascii}"`;
  return full === ascii ? plain : `${plain}; filename*=UTF-8''${rfc5987(full)}`;
}
