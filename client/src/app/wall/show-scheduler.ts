import { FairQueue } from './fair-queue';
import { FirstTurns } from './first-turns';
import { MinHeap } from './min-heap';

/** What the show needs to know of a photo: a few numbers, never the DTO itself. */
export interface ShowPhoto {
  readonly id: string;
  /** The uploader's alias number; 0 (unknown) counts every photo as its own uploader. */
  readonly guest: number;
  readonly createdAt: number;
  readonly seq: number;
}

interface Entry extends ShowPhoto {
  guest: number;
  createdAt: number;
  seq: number;
  shown: number;
  /** The clock's time of its last turn; -1 before its first. */
  lastShown: number;
  /** Its image can be shown now (the window holds its DTO); otherwise only remembered. */
  available: boolean;
  /** A new arrival still waiting for its one "new" turn. */
  fresh: boolean;
  arrival: number;
}

export interface ShowTiming {
  /** How long a turn lasts (a slide; in a mosaic, the time between two tile swaps). */
  readonly turnMs: number;
  /** How long a new photo's moment lasts at least while more new ones wait. */
  readonly newHoldMs: number;
}

export interface Placement {
  readonly id: string;
  /** This turn is the photo's "new" moment. */
  readonly isNew: boolean;
}

/** Least shown first; then least recently shown; then newest. (Photos never shown wait in FirstTurns.) */
function cycleBefore(a: Entry, b: Entry): boolean {
  if (a.shown !== b.shown) return a.shown < b.shown;
  if (a.lastShown !== b.lastShown) return a.lastShown < b.lastShown;
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt;
  if (a.seq !== b.seq) return a.seq > b.seq;
  return a.id < b.id;
}

function bump(counts: Map<number, number>, key: number, delta: number): void {
  const n = (counts.get(key) ?? 0) + delta;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}

/**
 * Decides which photo is on stage next, with a clock passed in (no timers, no DOM, no Angular).
 * Rules: new photos come first, in arrival order within one uploader but taking turns across
 * uploaders (the one served longest ago goes first), each getting one "new" turn; then every
 * photo cycles, least shown first, ties to the least recently shown, then the newest. Photos never
 * shown (found on joining, not seen arriving) take turns across uploaders as well. A removed
 * photo leaves at once; one on stage leaves a vacancy that makes the show move on.
 */
export class ShowScheduler {
  private readonly entries = new Map<string, Entry>();
  /** Photos that have had a turn, available and off stage, in cycle order. */
  private readonly rotation = new MinHeap<Entry>(cycleBefore);
  /** The rest of the rotation: photos never shown yet, which go before any that have been. */
  private readonly firstTurns = new FirstTurns<Entry>();
  /** Fresh photos waiting for their new moment, fair across uploaders. */
  private readonly waiting = new FairQueue<Entry>();
  private readonly stage = new Map<string, { readonly at: number; readonly isNew: boolean }>();
  private readonly knownByShown = new Map<number, number>();
  private readonly availableByShown = new Map<number, number>();
  private availableCount = 0;
  private arrivals = 0;
  private lastPlacedAt = -Infinity;
  private lastPlacedNew = false;

  /** More new photos than this waiting (one guest's 300 at once): the newest of the longest queue waits as a normal one. */
  constructor(private readonly maxWaitingNew = 60) {}

  get size(): number {
    return this.entries.size;
  }
  get available(): number {
    return this.availableCount;
  }
  get waitingNew(): number {
    return this.waiting.size;
  }
  /** Photos that could take a place on stage now. */
  get pickable(): number {
    return this.waiting.size + this.firstTurns.size + this.rotation.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }
  isAvailable(id: string): boolean {
    return this.entries.get(id)?.available ?? false;
  }
  isFresh(id: string): boolean {
    return this.entries.get(id)?.fresh ?? false;
  }
  meta(id: string): Readonly<ShowPhoto & { shown: number; lastShown: number }> | undefined {
    return this.entries.get(id);
  }
  /** Every id known, a copy (safe to remove while walking it). */
  allIds(): string[] {
    return [...this.entries.keys()];
  }
  onStage(): string[] {
    return [...this.stage.keys()];
  }
  isOnStage(id: string): boolean {
    return this.stage.has(id);
  }

  /** The fewest turns any known photo has had (held in full or not). */
  lowestShown(): number {
    let min = Infinity;
    for (const k of this.knownByShown.keys()) min = Math.min(min, k);
    return min;
  }
  /** How many photos held in full have had exactly this many turns. */
  availableShown(times: number): number {
    return this.availableByShown.get(times) ?? 0;
  }

  /** A photo seen for the first time (fresh: a new arrival), or news of one already known. */
  add(photo: ShowPhoto, options: { fresh?: boolean; available?: boolean } = {}): void {
    const { fresh = false, available = true } = options;
    const known = this.entries.get(photo.id);
    if (known) {
      this.update(photo);
      if (fresh && !known.fresh && known.shown === 0 && !this.stage.has(known.id)) {
        this.setAvailable(known.id, true);
        this.leaveRotation(known.id);
        this.enqueue(known);
      } else if (available) this.setAvailable(photo.id, true);
      return;
    }
    const entry: Entry = { ...photo, shown: 0, lastShown: -1, available: false, fresh: false, arrival: this.arrivals++ };
    this.entries.set(entry.id, entry);
    bump(this.knownByShown, 0, 1);
    if (fresh) {
      this.markAvailable(entry);
      this.enqueue(entry);
    } else if (available) this.setAvailable(entry.id, true);
  }

  /** An edit: the metadata changes in place, the photo keeps its turns and its place. */
  update(photo: ShowPhoto): void {
    const e = this.entries.get(photo.id);
    if (!e || photo.seq < e.seq) return;
    e.seq = photo.seq;
    e.createdAt = photo.createdAt;
    if (!e.fresh) e.guest = photo.guest; // a waiting one stays in its uploader's queue
    if (this.rotation.has(e.id) || this.firstTurns.has(e.id)) this.toRotation(e);
  }

  /** The window dropped (false) or got back (true) the photo's DTO. Photos on stage or waiting as new stay. */
  setAvailable(id: string, available: boolean): void {
    const e = this.entries.get(id);
    if (!e || e.available === available) return;
    if (!available) {
      if (e.fresh || this.stage.has(id)) return;
      e.available = false;
      this.availableCount--;
      bump(this.availableByShown, e.shown, -1);
      this.leaveRotation(id);
      return;
    }
    this.markAvailable(e);
    if (!e.fresh && !this.stage.has(id)) this.toRotation(e);
  }

  /** Forgets the photo (removed, hidden, broken). Returns true if it was on stage: the show must move on. */
  remove(id: string): boolean {
    const e = this.entries.get(id);
    if (!e) return false;
    this.entries.delete(id);
    bump(this.knownByShown, e.shown, -1);
    if (e.available) {
      this.availableCount--;
      bump(this.availableByShown, e.shown, -1);
    }
    if (e.fresh) this.dequeue(e);
    this.leaveRotation(id);
    return this.stage.delete(id);
  }

  /** The next photo to place, or null when nothing but what is on stage could be shown. */
  peek(): string | null {
    return this.upcoming(1)[0] ?? null;
  }

  /** The next n photos in the order they would be placed if nothing changed (for preloading). */
  upcoming(n: number): string[] {
    const out = this.waiting.upcoming(n).map((e) => e.id);
    for (const e of this.firstTurns.upcoming(n - out.length)) out.push(e.id);
    for (const e of this.rotation.smallest(n - out.length)) out.push(e.id);
    return out;
  }

  /**
   * Whether the show should place a photo now: a place on stage is free, a new photo waits (it
   * takes the stage at once, unless another new one's moment has just begun), or the turn is over.
   */
  due(now: number, timing: ShowTiming, capacity = 1): boolean {
    if (this.pickable === 0) return false;
    if (this.stage.size < capacity) return true;
    if (this.waiting.size > 0) return !(this.lastPlacedNew && now - this.lastPlacedAt < timing.newHoldMs);
    return now - this.lastPlacedAt >= timing.turnMs;
  }

  /** Puts the photo on stage (instead of `replacing`, if given) and counts its turn. */
  show(id: string, now: number, replacing: string | null = null): Placement | null {
    const e = this.entries.get(id);
    if (!e) return null;
    if (replacing !== null && replacing !== id) this.unstage(replacing);
    const isNew = e.fresh;
    if (e.fresh) {
      this.waiting.serve(e);
      e.fresh = false;
    }
    this.firstTurns.serve(e);
    this.rotation.delete(id);
    this.countTurn(e, now);
    this.stage.set(id, { at: now, isNew });
    this.lastPlacedAt = now;
    this.lastPlacedNew = isNew;
    return { id, isNew };
  }

  /** Takes the photo off stage; it goes back into the rotation. */
  unstage(id: string): void {
    const e = this.entries.get(id);
    if (!this.stage.delete(id) || !e) return;
    if (e.available) this.toRotation(e);
  }

  /** Passes over a photo as if it had had its turn (its image failed once): it goes to the back. */
  skip(id: string, now: number): void {
    const e = this.entries.get(id);
    if (!e || this.stage.has(id)) return;
    if (e.fresh) this.dequeue(e);
    this.firstTurns.delete(id);
    this.countTurn(e, now);
    if (e.available) this.toRotation(e);
  }

  /** The photo on stage placed longest ago (the mosaic's next tile to swap), if any. */
  oldestOnStage(): string | null {
    let oldest: string | null = null;
    let at = Infinity;
    for (const [id, info] of this.stage) if (info.at < at) [oldest, at] = [id, info.at];
    return oldest;
  }

  private countTurn(e: Entry, now: number): void {
    bump(this.knownByShown, e.shown, -1);
    if (e.available) bump(this.availableByShown, e.shown, -1);
    e.shown++;
    e.lastShown = now;
    bump(this.knownByShown, e.shown, 1);
    if (e.available) bump(this.availableByShown, e.shown, 1);
  }

  private markAvailable(e: Entry): void {
    if (e.available) return;
    e.available = true;
    this.availableCount++;
    bump(this.availableByShown, e.shown, 1);
  }

  private enqueue(e: Entry): void {
    e.fresh = true;
    this.waiting.push(e);
    if (this.waiting.size <= this.maxWaitingNew) return;
    // The newest of the longest queue gives up its new moment and joins the rotation (never shown, so soon).
    const demoted = this.waiting.dropFromLongest();
    if (!demoted) return;
    demoted.fresh = false;
    this.toRotation(demoted);
  }

  /** Files an available photo off stage (again) by its turns: never shown, or in the cycle. */
  private toRotation(e: Entry): void {
    if (e.shown === 0) {
      this.rotation.delete(e.id);
      this.firstTurns.push(e);
    } else {
      this.firstTurns.delete(e.id);
      this.rotation.push(e);
    }
  }

  private leaveRotation(id: string): void {
    this.rotation.delete(id);
    this.firstTurns.delete(id);
  }

  private dequeue(e: Entry): void {
    if (this.waiting.delete(e)) e.fresh = false;
  }
}
