import { InjectionToken } from '@angular/core';
import { PREVIEW_ABOVE_BYTES, PREVIEW_EDGE, PREVIEW_MAX_BYTES, PREVIEW_QUALITY } from '@photobook/shared';
import { scaledJpeg } from './jpeg-canvas';

/** Makes the display-size copy of a photo; null when the browser cannot. */
export type PreviewMaker = (photo: Blob) => Promise<Blob | null>;

/** Still images a canvas re-encodes faithfully. A GIF goes whole: its animation is the point. */
const PREVIEWABLE: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp']);

/** Whether a preview is worth trying: a still photo big enough that sending it twice saves time. */
export function mayPreview(photo: Pick<Blob, 'size' | 'type'>): boolean {
  return photo.size > PREVIEW_ABOVE_BYTES && PREVIEWABLE.has(photo.type);
}

/**
 * The preview to send before `photo` (the bytes that become the full copy), or null to send the
 * photo whole: too small or a GIF, the browser could not make one, or it would not be smaller (or
 * bigger than the server takes). Whatever goes wrong here, the photo still goes, whole.
 */
export async function previewFor(photo: Blob, make: PreviewMaker): Promise<Blob | null> {
  if (!mayPreview(photo)) return null;
  let preview: Blob | null;
  try {
    preview = await make(photo);
  } catch {
    return null;
  }
  return preview && preview.size > 0 && preview.size < photo.size && preview.size <= PREVIEW_MAX_BYTES ? preview : null;
}

/**
 * Preview first (UP27): a JPEG with a long edge of PREVIEW_EDGE, never upscaled, the EXIF
 * orientation applied while decoding (the copy carries no metadata). The wall shows it at once;
 * the original follows.
 */
export const makePreview: PreviewMaker = (photo) => scaledJpeg(photo, PREVIEW_EDGE, PREVIEW_QUALITY);

/** Replaceable in specs. */
export const PREVIEW_MAKER = new InjectionToken<PreviewMaker>('PREVIEW_MAKER', {
  providedIn: 'root',
  factory: () => makePreview,
});
