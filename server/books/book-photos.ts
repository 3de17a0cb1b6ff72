/**
 * The photos a book holds: the visible ones, in the order they were taken to the wall (createdAt,
 * then id), and which stored copy prints best.
 */
import { visiblePhotos } from '../export/export-photos';
import type { PhotoRecord, PhotoStore, VariantKind, VariantRecord } from '../store/types';

/** Every visible photo, oldest first. Records only (a thousand are well under a megabyte); no image bytes. */
export async function photosInTimeOrder(store: Pick<PhotoStore, 'changesSince'>): Promise<PhotoRecord[]> {
  const photos: PhotoRecord[] = [];
  for await (const photo of visiblePhotos(store as PhotoStore)) photos.push(photo);
  return photos.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The host's archive copy first. Then the source (the upload as sent, GPS and all, until the archive
 * job strips it): safe here only because the book re-encodes every photo with sharp, which writes no
 * metadata. The display image last (a photo whose full copy never came).
 */
const PRINT_COPIES: readonly VariantKind[] = ['original', 'source', 'display'];

export function printCopy(photo: PhotoRecord): VariantRecord | null {
  for (const kind of PRINT_COPIES) {
    const variant = photo.variants.find((v) => v.kind === kind);
    if (variant) return variant;
  }
  return null;
}

/** width / height as the photo shows (the display image is upright); 1 when unknown. */
export function aspectOf(photo: PhotoRecord): number {
  const shown = photo.variants.find((v) => v.kind === 'display') ?? photo.variants[0];
  return shown && shown.width > 0 && shown.height > 0 ? shown.width / shown.height : 1;
}
