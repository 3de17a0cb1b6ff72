import type { PhotoDto, PhotoRemovedDto, WallPage, WallSnapshot } from '@photobook/shared';
import type { ShowScheduler } from './show-scheduler';

/** Photos a wall holds in full (DTOs); beyond this it remembers only ids and turns, and pages them back in. */
export const WALL_WINDOW_SIZE = 300;
/** Fewer photos than this left at the least-shown count: time to fetch the next page. */
const LOW_WATER = 12;
/** Departures remembered so a stale copy (a join reply racing a live removal) cannot bring a photo back. */
const MAX_DEPARTURES = 1_000;
/** Photos whose image failed for good, remembered so pages do not bring them back. */
const MAX_BROKEN = 1_000;
/** Live arrivals may overfill the window this much before it is trimmed (trimming sorts it). */
const SLACK = 20;

export interface PageCursor {
  readonly cursor: string | null;
  /** Changes whenever the window is replaced; an answer for an older one is ignored. */
  readonly generation: number;
}

/**
 * The wall's data: at most WALL_WINDOW_SIZE photos in full, ids and turns (in the scheduler) for
 * all it has seen, and the event's total. Merges snapshots, live facts and pages so that a higher
 * seq wins, a departure beats any older copy, and removed photos leave the show at once. No I/O.
 */
export class WallWindow {
  private readonly photos = new Map<string, PhotoDto>();
  /** id -> seq at which the photo left; only a newer version of it may come back. */
  private readonly departures = new Map<string, number>();
  private readonly broken = new Set<string>();
  private totalCount = 0;
  /** Unknown photos created at or after this are new to the room (came onto the wall while we were away). */
  private recentFloor = -Infinity;
  private newest = -Infinity;
  private cursor: string | null = null;
  private generation = 0;

  constructor(
    readonly scheduler: ShowScheduler,
    private readonly cap = WALL_WINDOW_SIZE,
  ) {}

  get(id: string): PhotoDto | undefined {
    return this.photos.get(id);
  }
  get held(): number {
    return this.photos.size;
  }
  /** Photos on the wall in all, as the server last said, kept up to date by live facts. */
  get total(): number {
    return Math.max(this.totalCount, this.scheduler.size);
  }

  /**
   * A join answer. full: it is the newest window of the wall, so what is not in it is dropped;
   * otherwise it holds what changed since. Returns the ids that left the stage.
   */
  applySnapshot(snapshot: WallSnapshot, full: boolean, first: boolean): string[] {
    const photos = snapshot.photos ?? [];
    const left: string[] = [];
    // Every answer from the server is a chance again for images that failed (slow venue Wi-Fi, a
    // drop the socket had not noticed yet): pages bring them back; only a lasting fault keeps failing.
    this.broken.clear();
    if (full) {
      const keep = new Set(photos.map((p) => p.id));
      for (const id of [...this.photos.keys()]) if (!keep.has(id)) this.photos.delete(id);
      for (const id of this.knownIds()) if (!keep.has(id) && this.scheduler.remove(id)) left.push(id);
      this.cursor = null;
      this.generation++;
    }
    const departedAt = snapshot.seq;
    for (const id of snapshot.removed ?? []) left.push(...this.leave({ id, seq: departedAt }));
    // New to the room: on a rejoin, what is newer than anything we held (or, in a list of changes,
    // what came onto the wall within the newest window); nothing on the first join.
    const newestBefore = this.newest;
    const floor = this.recentFloor;
    const isNew = first ? () => false : full ? (p: PhotoDto) => p.createdAt > newestBefore : (p: PhotoDto) => p.createdAt >= floor;
    for (const photo of photos) this.upsert(photo, isNew);
    if (full) this.recentFloor = photos.length < (snapshot.total ?? 0) ? Math.min(...photos.map((p) => p.createdAt)) : -Infinity;
    this.totalCount = typeof snapshot.total === 'number' ? snapshot.total : full ? photos.length : this.scheduler.size;
    this.trim(0);
    return left;
  }

  /** photo:added: new to the room by definition. */
  applyAdded(photo: PhotoDto): void {
    const isNew = !this.scheduler.has(photo.id) && !this.broken.has(photo.id);
    if (this.upsert(photo, () => true) && isNew) this.totalCount++;
    this.trim(SLACK);
  }

  /** photo:updated: an edit, or a photo that came (back) onto the wall. */
  applyUpdated(photo: PhotoDto): void {
    const isNew = !this.scheduler.has(photo.id) && !this.broken.has(photo.id);
    const recent = (p: PhotoDto) => p.createdAt >= this.recentFloor;
    if (this.upsert(photo, recent) && isNew && recent(photo)) this.totalCount++;
    this.trim(SLACK);
  }

  /** photo:removed. Returns the ids that left the stage. */
  applyRemoved(removed: PhotoRemovedDto): string[] {
    const known = this.scheduler.has(removed.id);
    const left = this.leave(removed);
    if (known && !this.scheduler.has(removed.id)) this.totalCount = Math.max(0, this.totalCount - 1);
    return left;
  }

  /** A page of older photos (never new). Returns how many photos it made showable that were not. */
  applyPage(page: WallPage, asked: PageCursor): number {
    if (asked.generation !== this.generation || asked.cursor !== this.cursor) return 0;
    let gained = 0;
    for (const photo of page.photos ?? []) {
      const showable = this.scheduler.isAvailable(photo.id);
      if (this.upsert(photo, () => false) && !showable) gained++;
    }
    this.cursor = typeof page.next === 'string' ? page.next : null;
    this.trim(0);
    return gained;
  }

  /** A photo whose image would not load: off the show for good. */
  drop(id: string): void {
    this.photos.delete(id);
    this.scheduler.remove(id);
    this.broken.add(id);
    if (this.broken.size > MAX_BROKEN) this.broken.delete(this.broken.values().next().value!);
  }

  /** The next page to ask for. */
  nextPage(): PageCursor {
    return { cursor: this.cursor, generation: this.generation };
  }

  /** Starts the sweep over from the newest page (the server did not know our cursor). */
  restartSweep(): void {
    this.cursor = null;
    this.generation++;
  }

  /** True at the start of a sweep (the next page is the newest one). */
  get sweepStart(): boolean {
    return this.cursor === null;
  }

  /**
   * Whether to fetch a page: the server has photos we do not hold, and fewer than LOW_WATER of
   * those we hold have been shown as few times as the least shown one (so the cycle would
   * otherwise repeat what it holds while others wait on the server).
   */
  wantsPage(): boolean {
    const known = this.scheduler.size + this.broken.size;
    const unseen = this.totalCount > known;
    if (!unseen && this.scheduler.size <= this.scheduler.available) return false;
    const floor = unseen ? 0 : this.scheduler.lowestShown();
    return this.scheduler.availableShown(floor) < LOW_WATER;
  }

  /** Adds or replaces a photo if it is newer than what we know. Returns true if it changed anything. */
  private upsert(photo: PhotoDto, isNew: (p: PhotoDto) => boolean): boolean {
    if (this.broken.has(photo.id) || photo.seq <= (this.departures.get(photo.id) ?? -Infinity)) return false;
    const held = this.photos.get(photo.id);
    const meta = this.scheduler.meta(photo.id);
    if (held ? photo.seq <= held.seq : meta ? photo.seq < meta.seq : false) return false;
    this.departures.delete(photo.id);
    this.photos.set(photo.id, photo);
    this.newest = Math.max(this.newest, photo.createdAt);
    const show = { id: photo.id, guest: photo.guest ?? 0, createdAt: photo.createdAt, seq: photo.seq };
    this.scheduler.add(show, { fresh: !meta && isNew(photo), available: true });
    return true;
  }

  /** Drops a photo that left, unless what we hold is newer (it came back since). */
  private leave({ id, seq }: PhotoRemovedDto): string[] {
    if ((this.departures.get(id) ?? -Infinity) < seq) {
      this.departures.delete(id);
      this.departures.set(id, seq);
      if (this.departures.size > MAX_DEPARTURES) this.departures.delete(this.departures.keys().next().value!);
    }
    const heldSeq = this.photos.get(id)?.seq ?? this.scheduler.meta(id)?.seq ?? -Infinity;
    if (heldSeq > seq) return [];
    this.photos.delete(id);
    return this.scheduler.remove(id) ? [id] : [];
  }

  /** Keeps the window bounded: drops the DTOs of the most shown photos (they stay known, and come back with a page). */
  private trim(slack: number): void {
    if (this.photos.size <= this.cap + slack) return;
    const s = this.scheduler;
    const keep = new Set(s.upcoming(3));
    const evictable = [...this.photos.keys()].filter((id) => !keep.has(id) && !s.isOnStage(id) && !s.isFresh(id));
    const meta = (id: string) => s.meta(id)!;
    evictable.sort((a, b) => meta(b).shown - meta(a).shown || meta(b).lastShown - meta(a).lastShown || meta(a).createdAt - meta(b).createdAt);
    for (const id of evictable.slice(0, this.photos.size - this.cap)) {
      this.photos.delete(id);
      s.setAvailable(id, false);
    }
  }

  /** The scheduler is the one list of every id seen; the window only holds DTOs for some. */
  private knownIds(): string[] {
    return this.scheduler.allIds();
  }
}
