import { InjectionToken } from '@angular/core';
import { scaledJpeg } from './jpeg-canvas';

export interface DownscaleOptions {
  /** Files up to this size are sent as they are; null: never downscale. */
  readonly aboveBytes: number | null;
  /** Long edge of the copy, in pixels. */
  readonly maxEdge: number;
}

/** Formats a canvas re-encodes faithfully; GIF (animation) and unknown types are sent as they are. */
const DOWNSCALABLE = new Set(['image/jpeg', 'image/png', 'image/webp']);
/** The archive's source: near-lossless to the eye, still a fraction of a 48 MP original. */
const DOWNSCALE_QUALITY = 0.88;

export interface PreparedFile {
  readonly blob: Blob;
  readonly name: string;
  readonly downscaled: boolean;
}

export type Downscaler = (file: File, options: DownscaleOptions) => Promise<PreparedFile>;

/**
 * Whether a smaller copy will even be tried. When not, the original is what gets sent, so its size
 * can be checked against the host's limit before anything happens.
 */
export function mayDownscale(file: Pick<File, 'size' | 'type'>, options: DownscaleOptions): boolean {
  return options.aboveBytes !== null && file.size > options.aboveBytes && DOWNSCALABLE.has(file.type);
}

/**
 * Makes a smaller JPEG copy of a very large photo on the phone, so party Wi-Fi copes. The browser
 * applies the EXIF orientation while decoding, and the copy carries no metadata (no GPS). When
 * anything fails (the browser cannot decode it, the copy is not smaller) the original is sent and
 * the server decides.
 */
export const downscaleForUpload: Downscaler = async (file, options) => {
  const original: PreparedFile = { blob: file, name: file.name, downscaled: false };
  if (!mayDownscale(file, options)) return original;
  const blob = await scaledJpeg(file, options.maxEdge, DOWNSCALE_QUALITY);
  if (!blob || blob.size >= file.size) return original;
  return { blob, name: file.name.replace(/\.[^.]*$/, '') + '.jpg', downscaled: true };
};

/** Replaceable in specs. */
export const DOWNSCALER = new InjectionToken<Downscaler>('DOWNSCALER', {
  providedIn: 'root',
  factory: () => downscaleForUpload,
});
