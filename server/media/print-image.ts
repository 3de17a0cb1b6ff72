import sharp from 'sharp';

/** Print resolution: a photo gets this many pixels per inch of paper, never more than it has. */
export const PRINT_DPI = 300;
/**
 * JPEG for print: q85 is beyond what paper shows; libjpeg-turbo, not mozjpeg, which is about 5x
 * slower here for a few percent smaller files (DESIGN: a full-size mozjpeg encode ~2.3 s).
 */
const PRINT_JPEG = { quality: 85, mozjpeg: false } as const;
/** A photo book is made from stored photos that passed the upload's pixel check; this only caps a bad file. */
const MAX_INPUT_PIXELS = 268_402_689;

export interface PrintImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

/** Pixels for a frame of `points` at PRINT_DPI (72 points to the inch). */
export function printPixels(points: number): number {
  return Math.max(1, Math.round((points / 72) * PRINT_DPI));
}

/**
 * One photo as the book prints it: turned upright (EXIF orientation applied), fitted inside the
 * frame's pixels at PRINT_DPI and never enlarged (a smaller photo keeps its own pixels and is scaled
 * by the PDF), transparency on white, sRGB JPEG. sharp writes no metadata unless asked
 * (withMetadata), so whatever the input holds (EXIF with GPS, XMP, IPTC) stays out of the book,
 * even from a photo's source, the upload as sent.
 */
export async function printImage(input: Buffer, frame: { readonly width: number; readonly height: number }): Promise<PrintImage> {
  const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false, sequentialRead: true })
    .autoOrient()
    .resize({ width: printPixels(frame.width), height: printPixels(frame.height), fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .jpeg(PRINT_JPEG)
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

