import type { PhotoDto, PhotoRemovedDto } from '@photobook/shared';

/** A projector runs for hours; older photos beyond this are dropped from memory (not from the server). */
export const MAX_WALL_PHOTOS = 200;

/**
 * Newest upload first. Not by seq: an edit gives a photo a new seq, and a new caption must not
 * bring an old photo to the front.
 */
function newestFirst(a: PhotoDto, b: PhotoDto): number {
  return b.createdAt - a.createdAt || b.seq - a.seq;
}

/**
 * Adds photos not seen yet and replaces older versions of photos already shown (a higher seq wins,
 * so a duplicate or late delivery changes nothing). Returns the same array when nothing changed, so
 * a duplicate delivery does not even re-render.
 */
export function mergePhotos(
  current: readonly PhotoDto[],
  incoming: readonly PhotoDto[],
  cap = MAX_WALL_PHOTOS,
): readonly PhotoDto[] {
  const byId = new Map(current.map((photo) => [photo.id, photo]));
  let changed = false;
  for (const photo of incoming) {
    const shown = byId.get(photo.id);
    if (!shown || photo.seq > shown.seq) {
      byId.set(photo.id, photo);
      changed = true;
    }
  }
  if (!changed) return current;
  return [...byId.values()].sort(newestFirst).slice(0, cap);
}

/**
 * Drops photos that left the wall, unless what is shown is newer than the departure (the photo
 * came back since). Returns the same array when nothing left.
 */
export function removePhotos(current: readonly PhotoDto[], departed: readonly PhotoRemovedDto[]): readonly PhotoDto[] {
  if (departed.length === 0) return current;
  const leftAt = new Map(departed.map((d) => [d.id, d.seq]));
  const kept = current.filter((photo) => !(photo.seq < (leftAt.get(photo.id) ?? -Infinity)));
  return kept.length === current.length ? current : kept;
}
