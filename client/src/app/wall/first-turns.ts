import { uploaderKey } from './fair-queue';
import { MinHeap } from './min-heap';

/** A photo in the rotation: who sent it and how new it is. */
export interface Unseen {
  readonly id: string;
  /** The uploader's alias number; 0 (unknown) counts every photo as its own uploader. */
  readonly guest: number;
  readonly createdAt: number;
  readonly seq: number;
}

interface Uploader<T extends Unseen> {
  /** The uploader's key (the heap keys by id). */
  readonly id: string;
  lastTurn: number;
  readonly photos: MinHeap<T>;
}

/** Newest first (as the rotation orders photos that have had as many turns). */
function newer(a: Unseen, b: Unseen): boolean {
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt;
  if (a.seq !== b.seq) return a.seq > b.seq;
  return a.id < b.id;
}

/** Served longest ago first (never served before anyone); ties to the one whose next photo is newest. */
function servedBefore<T extends Unseen>(a: Uploader<T>, b: Uploader<T>): boolean {
  if (a.lastTurn !== b.lastTurn) return a.lastTurn < b.lastTurn;
  return newer(a.photos.peek()!, b.photos.peek()!);
}

/**
 * Photos of the rotation that have never been on stage, taken fairly across uploaders: each
 * uploader's newest first, and the uploader served longest ago goes next. They are the photos a
 * wall found when it joined (or rejoined, or paged in) rather than saw arrive live, such as a burst
 * approved just before it joined: 40 of one guest's photos do not make a block on the screen there
 * either. O(log n) per change: a heap of uploaders, each with a heap of its photos.
 */
export class FirstTurns<T extends Unseen> {
  private readonly uploaders = new MinHeap<Uploader<T>>(servedBefore);
  /** The uploaders with photos here, by key (the heap only orders them). */
  private readonly byKey = new Map<string, Uploader<T>>();
  /** Photo id -> its uploader's key when it was filed (an edit may change the photo's guest). */
  private readonly filedUnder = new Map<string, string>();
  /** The turn number of each known uploader's last turn (unknown uploaders are never seen twice). */
  private readonly lastTurn = new Map<string, number>();
  private turns = 0;

  get size(): number {
    return this.filedUnder.size;
  }

  has(id: string): boolean {
    return this.filedUnder.has(id);
  }

  /** Adds the photo, or re-files it after an edit. */
  push(item: T): void {
    this.delete(item.id);
    const key = uploaderKey(item);
    let uploader = this.byKey.get(key);
    if (!uploader) {
      uploader = { id: key, lastTurn: this.lastTurn.get(key) ?? -1, photos: new MinHeap<T>(newer) };
      this.byKey.set(key, uploader);
    }
    uploader.photos.push(item);
    this.uploaders.push(uploader); // its next photo may have changed
    this.filedUnder.set(item.id, key);
  }

  delete(id: string): boolean {
    const key = this.filedUnder.get(id);
    if (key === undefined) return false;
    this.filedUnder.delete(id);
    const uploader = this.byKey.get(key)!;
    uploader.photos.delete(id);
    if (uploader.photos.size === 0) {
      this.uploaders.delete(key);
      this.byKey.delete(key);
    } else this.uploaders.push(uploader);
    return true;
  }

  /** Takes the photo out for its turn on stage, and counts its uploader's turn. */
  serve(item: T): void {
    const key = this.filedUnder.get(item.id);
    if (key === undefined) return;
    const uploader = this.byKey.get(key)!;
    uploader.lastTurn = ++this.turns;
    if (item.guest > 0) this.lastTurn.set(key, uploader.lastTurn);
    this.delete(item.id);
  }

  /**
   * The next n in the order they would be served if nothing changed: a round over the uploaders in
   * their order, then another in the same order (each goes to the back as it is served).
   */
  upcoming(n: number): T[] {
    if (n <= 0) return [];
    const queues = this.uploaders.smallest(n).map((u) => u.photos.smallest(n));
    const out: T[] = [];
    for (let round = 0; out.length < n; round++) {
      const before = out.length;
      for (const queue of queues) if (out.length < n && queue[round]) out.push(queue[round]!);
      if (out.length === before) break;
    }
    return out;
  }
}
