/**
 * A binary min-heap of keyed items that can also remove or re-place any item by key, so the show
 * picks its next photo out of 10,000 in O(log n) instead of scanning them all on every turn.
 */
export class MinHeap<T extends { readonly id: string }> {
  private readonly items: T[] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  peek(): T | undefined {
    return this.items[0];
  }

  /** Adds the item, or moves it to where its (changed) key now puts it. */
  push(item: T): void {
    const at = this.index.get(item.id);
    if (at !== undefined) {
      this.items[at] = item;
      this.siftDown(this.siftUp(at));
      return;
    }
    this.items.push(item);
    this.index.set(item.id, this.items.length - 1);
    this.siftUp(this.items.length - 1);
  }

  delete(id: string): boolean {
    const at = this.index.get(id);
    if (at === undefined) return false;
    const last = this.items.pop()!;
    this.index.delete(id);
    if (at < this.items.length) {
      this.items[at] = last;
      this.index.set(last.id, at);
      this.siftDown(this.siftUp(at));
    }
    return true;
  }

  /** The k smallest in order, without disturbing the heap (a best-first walk, O(k log k)). */
  smallest(k: number): T[] {
    const out: T[] = [];
    const frontier: number[] = this.items.length ? [0] : [];
    while (out.length < k && frontier.length) {
      let best = 0;
      for (let i = 1; i < frontier.length; i++) if (this.before(this.items[frontier[i]!]!, this.items[frontier[best]!]!)) best = i;
      const [at] = frontier.splice(best, 1) as [number];
      out.push(this.items[at]!);
      for (const child of [2 * at + 1, 2 * at + 2]) if (child < this.items.length) frontier.push(child);
    }
    return out;
  }

  private siftUp(at: number): number {
    const item = this.items[at]!;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.before(item, this.items[parent]!)) break;
      this.place(this.items[parent]!, at);
      at = parent;
    }
    this.place(item, at);
    return at;
  }

  private siftDown(at: number): void {
    const item = this.items[at]!;
    const n = this.items.length;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.before(this.items[right]!, this.items[left]!) ? right : left;
      if (!this.before(this.items[child]!, item)) break;
      this.place(this.items[child]!, at);
      at = child;
    }
    this.place(item, at);
  }

  private place(item: T, at: number): void {
    this.items[at] = item;
    this.index.set(item.id, at);
  }
}
