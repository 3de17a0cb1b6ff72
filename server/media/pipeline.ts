import sharp, { type Metadata } from 'sharp';
import { ErrorCode } from '@photobook/shared';
import { AppError } from '../errors';
import { piecesOf } from '../store/blob-body';
import type { NewBlob } from '../store/types';
import { checkPixelBudget } from './probe';
import { sniffImageType, type SniffedType } from './sniff';

/**
 * An image to process: in memory, or a local file (an upload's, see UploadStore.uploadFile) that
 * libvips reads in order, so a 20 MB upload is never one 20 MB Buffer. `head` holds its first bytes
 * (16 at least) for the type sniff; `bytes` is its size, for the pixel budget.
 */
export type ImageInput = Buffer | { readonly file: string; readonly head: Uint8Array; readonly bytes: number };

const sourceOf = (input: ImageInput): Buffer | string => (Buffer.isBuffer(input) ? input : input.file);
const headOf = (input: ImageInput): Uint8Array => (Buffer.isBuffer(input) ? input : input.head).subarray(0, 16);
const sizeOf = (input: ImageInput): number => (Buffer.isBuffer(input) ? input.length : input.bytes);

/**
 * libjpeg decodes a JPEG at 1/2, 1/4 or 1/8 of its size (shrink-on-load) for about the cost of reading
 * its entropy data. sharp asks for it when a resize allows, but steps back one scale when the
 * reduction is less than one more than that scale (2 to 3x, 4 to 5x, 8 to 9x: "known libjpeg rounding
 * errors" in its `src/pipeline.cc`, which matter for an exact target size, not for a box the result
 * fits inside). A 12 MP phone photo (4000x3000) into the 1920x1080 box is a 2.78x reduction, so sharp
 * decoded all 12 MP and resampled them.
 *
 * The scale for the box (the largest of 8, 4, 2 at or below the reduction), named to libvips after the
 * file's name in brackets (libvips' loader options, which sharp passes on with the name), then sharp
 * resizes the smaller image into the box. Measured here (one libvips thread): the 12 MP bench photo's
 * decode into the display box 87-106 ms against 121-136. The plain name, and sharp's own choice:
 * - when 2x or more would be left: sharp reads at a scale of its own from 3x left, by loading the
 *   file again under a name it does not split (and from 16x it picks 1/8 itself anyway);
 * - when a side is not a multiple of the scale (libjpeg rounds a scaled side up), and for a photo with
 *   a gain map: libvips's Ultra HDR loader rounds its header's sides down, then refuses its own pixels;
 * - when the path holds a quote, which libvips's option parser would take as the start of a quoted
 *   name; for an image in memory (a Buffer).
 */
export function jpegLoadName(
  input: ImageInput,
  meta: Pick<Metadata, 'format' | 'width' | 'height' | 'orientation' | 'gainMap'>,
  box: { width: number; height: number },
): Buffer | string {
  if (Buffer.isBuffer(input) || meta.format !== 'jpeg' || meta.gainMap || /['"]/.test(input.file) || !meta.width || !meta.height) return sourceOf(input);
  const turned = (meta.orientation ?? 1) >= 5;
  const [width, height] = turned ? [meta.height, meta.width] : [meta.width, meta.height];
  const reduction = Math.max(width / box.width, height / box.height);
  const scale = [8, 4, 2].find((s) => reduction >= s && reduction < 2 * s);
  return scale && width % scale === 0 && height % scale === 0 ? `${input.file}[shrink=${scale}]` : input.file;
}

export interface MediaLimits {
  readonly maxPixels: number;
}

export interface ProcessedImage {
  /** Upright dimensions of the display variant. */
  readonly width: number;
  readonly height: number;
  /** What the upload itself is (kept as the source of the host's archive copy). */
  readonly source: { readonly type: SniffedType; readonly width: number; readonly height: number };
  readonly blobs: readonly NewBlob[];
}

/** Fits a 1920x1080 screen; projectors and TVs rarely show more. */
export const DISPLAY_BOX = { width: 1920, height: 1080 } as const;
export const THUMB_BOX = { width: 400, height: 400 } as const;
/**
 * WebP effort 2, not sharp's default 4: a 1440x1080 display encodes in about 40 ms instead of 120
 * (measured here), files a few percent larger; a burst after a speech reaches the wall that much
 * sooner, and the host's archive copy keeps the full quality anyway.
 */
export const DISPLAY_WEBP = { quality: 82, effort: 2 } as const;
export const THUMB_WEBP = { quality: 75, effort: 2 } as const;

const SUPPORTED = new Set(['jpeg', 'png', 'webp', 'gif']);

/** Rejects anything that is not a supported image before sharp decodes a single pixel. */
export function checkType(head: Uint8Array): void {
  const type = sniffImageType(head);
  if (type === 'heic') {
    throw new AppError(ErrorCode.HeicUnsupported, 'HEIC photos are not supported: share the photo as JPEG (Most Compatible).');
  }
  if (type === null || !SUPPORTED.has(type)) {
    throw new AppError(ErrorCode.UnsupportedType, 'Only JPEG, PNG, WebP and GIF photos are accepted.');
  }
}

/**
 * libvips failing for want of memory or temp space, or an upload's file gone from under it, is the
 * server's trouble, not a damaged photo.
 */
const RESOURCE_FAILURE = /input file is missing|out of memory|memory allocation|cannot allocate|could not allocate|ENOMEM|ENOSPC|no space left|unable to (open|write).*(temp|tmp)/i;

export function decodeError(e: unknown): AppError {
  const message = e instanceof Error ? e.message : String(e);
  if (RESOURCE_FAILURE.test(message)) {
    // Retryable (INTERNAL): the upload is kept and the guest's commit tries again (UP17).
    return new AppError(ErrorCode.Internal, 'The server ran short of resources processing the photo.', undefined, { cause: e });
  }
  if (/pixel limit/i.test(message)) {
    return new AppError(ErrorCode.TooManyPixels, 'The photo has too many pixels.');
  }
  return new AppError(ErrorCode.CorruptImage, 'The photo could not be read; the file may be damaged or incomplete.');
}

/**
 * Type, dimensions and pixel budget from the header alone: bombs are refused before any decode
 * allocates their pixels (the same budget the upload service probes before queuing, so a direct call
 * is protected too).
 */
async function checkedHeader(input: ImageInput, limits: MediaLimits): Promise<Metadata & { width: number; height: number }> {
  checkType(headOf(input));
  let meta: Metadata;
  try {
    meta = await sharp(sourceOf(input), { limitInputPixels: limits.maxPixels }).metadata();
  } catch (e) {
    throw decodeError(e);
  }
  const { width, height } = meta;
  if (!width || !height) throw new AppError(ErrorCode.CorruptImage, 'The photo has no dimensions.');
  checkPixelBudget(width, height, sizeOf(input), limits);
  return { ...meta, width, height };
}

/** Runs an image's decode when its turn comes (PhotoMaker lets one decode run at a time). */
export type DecodeTurn = <T>(decode: () => Promise<T>) => Promise<T>;

/**
 * The critical path to the wall, and nothing else: one decode with shrink-on-load, auto-oriented and
 * scaled to the display box, then both variants from those pixels, every metadata block (EXIF with
 * GPS, XMP, IPTC) dropped, encoded as WebP for the wall (display) and for lists (thumb). The host's
 * archive copy is made later, off this path, from the untouched upload (see archive.ts).
 *
 * One decode, not one per variant: a 12 MP photo's pair takes about 135 ms of CPU instead of 170 (the
 * thumb's own decode reads every byte of the JPEG again), two photos at once finish in 140 ms instead
 * of 185 and peak 9 MB lower, and a lone photo reaches the wall as soon (measured here, 2 cores, one
 * libvips thread per image). The display-sized pixels (1440x1080x3, 4.7 MB for a 4:3 photo) are held
 * while both encode. The decode (most of the memory) runs in `decodeTurn`, the encodes after it.
 */
export async function processImage(input: ImageInput, limits: MediaLimits, decodeTurn: DecodeTurn = (decode) => decode()): Promise<ProcessedImage> {
  const meta = await checkedHeader(input, limits);
  try {
    // failOn 'error' tolerates harmless warnings yet refuses truncated data; animated: false = first frame;
    // sequentialRead (sharp's default, said here because the memory depends on it): top to bottom in strips.
    // 8 bits per channel in sRGB (sharp's output colour space), with alpha when the photo has it.
    const { data, info } = await decodeTurn(() => sharp(jpegLoadName(input, meta, DISPLAY_BOX), { limitInputPixels: limits.maxPixels, failOn: 'error', animated: false, sequentialRead: true })
      .autoOrient()
      .resize({ ...DISPLAY_BOX, fit: 'inside', withoutEnlargement: true })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true }));
    const pixels = () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
    const [display, thumb] = await Promise.all([
      pixels().webp(DISPLAY_WEBP).toBuffer({ resolveWithObject: true }),
      pixels().resize({ ...THUMB_BOX, fit: 'inside', withoutEnlargement: true }).webp(THUMB_WEBP).toBuffer({ resolveWithObject: true }),
    ]);
    const blob = (kind: NewBlob['kind'], out: typeof display): NewBlob => ({
      kind,
      bytes: out.data.byteLength,
      body: piecesOf(out.data),
      contentType: 'image/webp',
      width: out.info.width,
      height: out.info.height,
    });
    return {
      width: display.info.width,
      height: display.info.height,
      source: { type: sniffImageType(headOf(input))!, width: meta.width, height: meta.height },
      blobs: [blob('display', display), blob('thumb', thumb)],
    };
  } catch (e) {
    throw decodeError(e);
  }
}

/** What an original that follows its preview is, once checked: its type, and its size as stored and upright. */
export interface CheckedOriginal {
  readonly source: ProcessedImage['source'];
  readonly upright: { readonly width: number; readonly height: number };
}

/**
 * An original that follows its preview (UP25) is never shown, yet it is the host's archive copy: it
 * passes the same checks as any upload (type, pixel budget, a full decode of the first frame that
 * refuses truncated data) without making variants. The decode is a thumbnail's, so shrink-on-load
 * keeps it cheap.
 */
export async function checkOriginal(input: ImageInput, limits: MediaLimits, decodeTurn: DecodeTurn = (decode) => decode()): Promise<CheckedOriginal> {
  const meta = await checkedHeader(input, limits);
  try {
    await decodeTurn(() =>
      sharp(jpegLoadName(input, meta, THUMB_BOX), { limitInputPixels: limits.maxPixels, failOn: 'error', animated: false, sequentialRead: true })
        .resize({ ...THUMB_BOX, fit: 'inside', withoutEnlargement: true })
        .raw()
        .toBuffer(),
    );
  } catch (e) {
    throw decodeError(e);
  }
  // EXIF orientations 5 to 8 turn the picture a quarter: its upright shape swaps width and height.
  const turned = (meta.orientation ?? 1) >= 5;
  return {
    source: { type: sniffImageType(headOf(input))!, width: meta.width, height: meta.height },
    upright: turned ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height },
  };
}
