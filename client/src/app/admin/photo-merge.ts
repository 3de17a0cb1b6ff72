import type { AdminChanges, AdminPhotoDto, AdminPhotoQuery } from '@photobook/shared';

export type PhotoOrder = (a: AdminPhotoDto, b: AdminPhotoDto) => number;

/** The server's page order: newest upload first (ties by id, so the order is total). */
export const newestFirst: PhotoOrder = (a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
export const oldestFirst: PhotoOrder = (a, b) => -newestFirst(a, b);

/** What the grid is filtered by: the query without its paging. */
export type PhotoFilter = Pick<AdminPhotoQuery, 'state' | 'search' | 'guest'>;

/** Whether a photo belongs in a filtered view; the same test the server's query makes. */
export function matchesFilter(photo: AdminPhotoDto, filter: PhotoFilter): boolean {
  if (filter.state !== 'all' && photo.state !== filter.state) return false;
  if (filter.guest !== null && photo.guest !== filter.guest) return false;
  const search = filter.search.trim().toLocaleLowerCase();
  if (!search) return true;
  return photo.caption.toLocaleLowerCase().includes(search) || photo.author.toLocaleLowerCase().includes(search);
}

export interface MergeOptions {
  readonly matches: (photo: AdminPhotoDto) => boolean;
  readonly order: PhotoOrder;
  /**
   * Every matching photo is loaded (no next page). Otherwise a photo that sorts after the last one
   * loaded belongs to a page not fetched yet, and is left for that page to bring.
   */
  readonly complete: boolean;
}

/**
 * Applies a change feed answer to a loaded list: removed photos leave, changed photos replace their
 * older copy (an older or equal seq is stale and ignored), leave when they no longer match, and
 * join in order when they start to.
 */
export function mergeChanges(
  list: readonly AdminPhotoDto[],
  changes: Pick<AdminChanges, 'photos' | 'removed'>,
  options: MergeOptions,
): AdminPhotoDto[] {
  const removed = new Set(changes.removed);
  let next = removed.size ? list.filter((p) => !removed.has(p.id)) : [...list];
  const last = list.at(-1);
  for (const photo of changes.photos) {
    if (removed.has(photo.id)) continue;
    const index = next.findIndex((p) => p.id === photo.id);
    const held = index >= 0 ? next[index] : undefined;
    if (held && held.seq >= photo.seq) continue;
    if (!options.matches(photo)) {
      if (held) next.splice(index, 1);
      continue;
    }
    if (held) {
      next[index] = photo;
      continue;
    }
    if (!options.complete && last && options.order(photo, last) > 0) continue;
    next = insertSorted(next, photo, options.order);
  }
  return next;
}

/** Replaces or inserts one photo whatever its seq (an ack is the newest word on it). */
export function upsert(list: readonly AdminPhotoDto[], photo: AdminPhotoDto, options: MergeOptions): AdminPhotoDto[] {
  const rest = list.filter((p) => p.id !== photo.id);
  if (!options.matches(photo)) return rest;
  const index = list.findIndex((p) => p.id === photo.id);
  if (index >= 0) {
    const next = [...list];
    next[index] = photo;
    return next;
  }
  return insertSorted(rest, photo, options.order);
}

function insertSorted(list: AdminPhotoDto[], photo: AdminPhotoDto, order: PhotoOrder): AdminPhotoDto[] {
  const at = list.findIndex((p) => order(photo, p) < 0);
  return at < 0 ? [...list, photo] : [...list.slice(0, at), photo, ...list.slice(at)];
}

/** Appends a further page, dropping photos already shown (a change can move one across pages). */
export function appendPage(list: readonly AdminPhotoDto[], page: readonly AdminPhotoDto[]): AdminPhotoDto[] {
  const shown = new Set(list.map((p) => p.id));
  return [...list, ...page.filter((p) => !shown.has(p.id))];
}
