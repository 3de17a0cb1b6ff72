/** Something waiting for its turn: who sent it and when it came. */
export interface Waiting {
  readonly id: string;
  /** The uploader's alias number; 0 (unknown) counts every photo as its own uploader. */
  readonly guest: number;
  readonly arrival: number;
}

/** Who takes turns: the guest, or for an unknown uploader the photo itself. */
export const uploaderKey = (w: { readonly id: string; readonly guest: number }) => (w.guest > 0 ? `g${w.guest}` : `p${w.id}`);

/**
 * New photos waiting for their moment, fair across uploaders: arrival order within one uploader,
 * and the uploader served longest ago goes first (never served before anyone; ties to whoever's
 * photo came first). 40 photos from one phone do not bury the one photo from another.
 */
export class FairQueue<T extends Waiting> {
  private readonly queues = new Map<string, T[]>();
  /** The turn number of each uploader's last moment (unknown uploaders are never seen twice). */
  private readonly lastTurn = new Map<string, number>();
  private turns = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    const key = uploaderKey(item);
    const queue = this.queues.get(key) ?? [];
    queue.push(item);
    this.queues.set(key, queue);
    this.count++;
  }

  delete(item: T): boolean {
    const key = uploaderKey(item);
    const queue = this.queues.get(key);
    const at = queue?.indexOf(item) ?? -1;
    if (!queue || at < 0) return false;
    queue.splice(at, 1);
    if (queue.length === 0) this.queues.delete(key);
    this.count--;
    return true;
  }

  /** Takes the item out and counts its uploader's turn. */
  serve(item: T): void {
    if (!this.delete(item)) return;
    this.turns++;
    if (item.guest > 0) this.lastTurn.set(uploaderKey(item), this.turns);
  }

  /** The next n in the order they would be served if nothing changed. */
  upcoming(n: number): T[] {
    const out: T[] = [];
    const taken = new Map<string, number>();
    const turns = new Map(this.lastTurn);
    let turn = this.turns;
    while (out.length < n) {
      let best: { key: string; turn: number; head: T } | null = null;
      for (const [key, queue] of this.queues) {
        const head = queue[taken.get(key) ?? 0];
        if (!head) continue;
        const last = turns.get(key) ?? -1;
        if (!best || last < best.turn || (last === best.turn && head.arrival < best.head.arrival)) best = { key, turn: last, head };
      }
      if (!best) break;
      out.push(best.head);
      taken.set(best.key, (taken.get(best.key) ?? 0) + 1);
      if (best.head.guest > 0) turns.set(best.key, ++turn);
    }
    return out;
  }

  /** Gives up the newest item of the longest queue (a flood from one phone), if any. */
  dropFromLongest(): T | undefined {
    let longest: T[] | undefined;
    for (const queue of this.queues.values()) if (!longest || queue.length > longest.length) longest = queue;
    const item = longest?.at(-1);
    if (item) this.delete(item);
    return item;
  }
}
