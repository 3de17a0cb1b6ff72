import type { PhotoDto } from '@photobook/shared';

/** A projector runs for hours; older photos beyond this are dropped from memory (not from the server). */
export const MAX_WALL_PHOTOS = 200;

/**
 * Adds photos not seen yet, newest (highest seq) first. Returns the same array when nothing is new,
 * so a duplicate delivery does not even re-render.
 */
export function mergePhotos(
  current: readonly PhotoDto[],
  incoming: readonly PhotoDto[],
  cap = MAX_WALL_PHOTOS,
): readonly PhotoDto[] {
  const byId = new Map(current.map((photo) => [photo.id, photo]));
  let changed = false;
  for (const photo of incoming) {
    if (!byId.has(photo.id)) {
      byId.set(photo.id, photo);
      changed = true;
    }
  }
  if (!changed) return current;
  return [...byId.values()].sort((a, b) => b.seq - a.seq).slice(0, cap);
}
