/** The size that fits a long edge of at most maxEdge, keeping the shape; never larger than the image. */
export function fitWithin(width: number, height: number, maxEdge: number): { width: number; height: number } {
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Draws a decoded image at the given size and encodes it as JPEG (no metadata: the pixels are
 * already upright). Null when the browser has no 2D canvas or cannot encode.
 */
export async function drawJpeg(bitmap: ImageBitmap, width: number, height: number, quality: number): Promise<Blob | null> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) return null;
    draw(context, bitmap, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return null;
  draw(context, bitmap, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
}

function draw(
  context: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D,
  bitmap: ImageBitmap,
  width: number,
  height: number,
): void {
  // A large step down: the default (low) smoothing leaves visible aliasing on a wall-sized screen.
  context.imageSmoothingQuality = 'high';
  // JPEG has no transparency: a see-through PNG sits on white (a blank canvas would encode as black).
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
}

/**
 * The photo upright (EXIF orientation applied), scaled to a long edge of at most maxEdge, as JPEG.
 * Null when the browser cannot decode or encode it.
 */
export async function scaledJpeg(photo: Blob, maxEdge: number, quality: number): Promise<Blob | null> {
  let bitmap: ImageBitmap | null = null;
  try {
    bitmap = await createImageBitmap(photo, { imageOrientation: 'from-image' });
    const { width, height } = fitWithin(bitmap.width, bitmap.height, maxEdge);
    return await drawJpeg(bitmap, width, height, quality);
  } catch {
    return null;
  } finally {
    bitmap?.close();
  }
}
