import type { PhotoDto, PhotoRemovedDto, WallPage, WallSnapshot } from '@photobook/shared';

/** Departures remembered so a stale copy (a page or join reply racing a live removal) cannot bring a photo back. */
const MAX_DEPARTURES = 2_000;

/** Where paging stands: the cursor to ask with, and the list it belongs to. */
export interface GalleryPageAsk {
  readonly cursor: string | null;
  /** Changes whenever the list starts over; an answer for an older one is ignored. */
  readonly generation: number;
}

type Key = Pick<PhotoDto, 'createdAt' | 'id'>;

/** Newest upload first, as the server pages (created_at DESC, id DESC); an edit never moves a photo. */
export function newestFirst(a: Key, b: Key): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * The gallery's photos, newest upload first, merged from join answers, live facts and pages: a
 * higher seq wins, a departure beats any older copy. Only a gap-free run is shown: everything down
 * to the oldest photo of the last page (the frontier), since a photo below it may still have
 * newer neighbours on the server that no page brought yet. No I/O.
 */
export class GalleryList {
  /** Every photo held, newest first (binary-search inserts: a live photo never re-sorts 10,000). */
  private readonly sorted: PhotoDto[] = [];
  private readonly byId = new Map<string, PhotoDto>();
  /** id -> seq at which the photo left; only a newer version of it may come back. */
  private readonly departures = new Map<string, number>();
  /** The oldest photo of the last page; null: no page yet (unless complete). */
  private frontier: Key | null = null;
  private cursor: string | null = null;
  private generation = 0;
  private totalCount = 0;
  /** Everything on the wall is held: no more pages. */
  complete = false;

  /** The photos to show: the gap-free run from the newest down to the frontier. */
  shown(): PhotoDto[] {
    if (this.complete) return this.sorted.slice();
    const frontier = this.frontier;
    if (frontier === null) return [];
    return this.sorted.slice(0, this.insertionIndex(frontier, true));
  }

  get(id: string): PhotoDto | undefined {
    return this.byId.get(id);
  }

  /** Photos on the wall, as the server last said, kept up to date by live facts. */
  get total(): number {
    return Math.max(this.totalCount, this.complete ? this.sorted.length : 0);
  }

  /**
   * A join answer. full: the newest window of the wall, so what is not in it is dropped and paging
   * starts over (if the window is not the whole wall); otherwise it holds what changed since.
   */
  applySnapshot(snapshot: WallSnapshot, full: boolean): void {
    const photos = snapshot.photos ?? [];
    if (full) {
      const keep = new Set(photos.map((p) => p.id));
      // A live fact may arrive before the join's own reply: what is newer than the answer stays.
      for (const photo of this.sorted.slice()) if (!keep.has(photo.id) && photo.seq <= snapshot.seq) this.delete(photo.id);
      for (const [id, seq] of this.departures) if (seq <= snapshot.seq) this.departures.delete(id);
      this.frontier = null;
      this.cursor = null;
      this.generation++;
      this.complete = photos.length >= (snapshot.total ?? photos.length);
    }
    for (const id of snapshot.removed ?? []) this.leave({ id, seq: snapshot.seq });
    for (const photo of photos) this.upsert(photo);
    this.totalCount = typeof snapshot.total === 'number' ? snapshot.total : this.sorted.length;
  }

  /**
   * photo:added (added: true), or photo:updated: an edit, or a photo that came back onto the wall.
   * An update of a photo we do not hold is new to the wall only where we hold every photo (within
   * the shown run); further down it may be an edit of one no page brought yet, and the next
   * catch-up's total settles the count.
   */
  applyLive(photo: PhotoDto, added: boolean): void {
    const known = this.byId.has(photo.id);
    if (this.upsert(photo) && !known && (added || this.withinRun(photo))) this.totalCount++;
  }

  /** photo:removed. */
  applyRemoved(removed: PhotoRemovedDto): void {
    const known = this.byId.has(removed.id);
    this.leave(removed);
    if (known && !this.byId.has(removed.id)) this.totalCount = Math.max(0, this.totalCount - 1);
  }

  /** The next page to ask for, or null when the whole wall is held. */
  nextPage(): GalleryPageAsk | null {
    return this.complete ? null : { cursor: this.cursor, generation: this.generation };
  }

  /** An answer to nextPage(); ignored if the list started over since. Returns false if it was. */
  applyPage(page: WallPage, asked: GalleryPageAsk): boolean {
    if (asked.generation !== this.generation || asked.cursor !== this.cursor || this.complete) return false;
    const photos = page.photos ?? [];
    for (const photo of photos) this.upsert(photo);
    const last = photos.at(-1);
    if (typeof page.next !== 'string' || !last) {
      this.complete = true;
    } else {
      this.cursor = page.next;
      this.frontier = { createdAt: last.createdAt, id: last.id };
    }
    return true;
  }

  private withinRun(photo: Key): boolean {
    return this.complete || (this.frontier !== null && newestFirst(photo, this.frontier) <= 0);
  }

  /** Adds or replaces a photo if it is newer than what we know. */
  private upsert(photo: PhotoDto): boolean {
    if (photo.seq <= (this.departures.get(photo.id) ?? -Infinity)) return false;
    const held = this.byId.get(photo.id);
    if (held && photo.seq <= held.seq) return false;
    this.departures.delete(photo.id);
    if (held) {
      this.sorted[this.indexOf(held)] = photo;
    } else {
      this.sorted.splice(this.insertionIndex(photo, false), 0, photo);
    }
    this.byId.set(photo.id, photo);
    return true;
  }

  /** Drops a photo that left, unless what we hold is newer (it came back since). */
  private leave({ id, seq }: PhotoRemovedDto): void {
    if ((this.departures.get(id) ?? -Infinity) < seq) {
      this.departures.delete(id);
      this.departures.set(id, seq);
      if (this.departures.size > MAX_DEPARTURES) this.departures.delete(this.departures.keys().next().value!);
    }
    const held = this.byId.get(id);
    if (held && held.seq <= seq) this.delete(id);
  }

  private delete(id: string): void {
    const held = this.byId.get(id);
    if (!held) return;
    this.sorted.splice(this.indexOf(held), 1);
    this.byId.delete(id);
  }

  private indexOf(photo: Key): number {
    const at = this.insertionIndex(photo, false);
    return this.sorted[at]?.id === photo.id ? at : this.sorted.findIndex((p) => p.id === photo.id);
  }

  /** The first index whose photo sorts after `key` (inclusive: after or at it). */
  private insertionIndex(key: Key, inclusive: boolean): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const order = newestFirst(this.sorted[mid]!, key);
      if (order < 0 || (inclusive && order === 0)) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
