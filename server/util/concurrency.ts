/** Runs tasks for the same key one after another; different keys run concurrently. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}

/** Bounds how many tasks run at once (image decodes can take hundreds of MB each). */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A freed slot goes straight to the first waiter, so no newcomer slips in before it.
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * `call`, shared: whoever calls while one is under way gets that one's promise, and for `keepMs`
 * after it resolved, its answer. A failure is not kept: the next caller calls again.
 */
export function sharedCall<T>(call: () => Promise<T>, keepMs = 0): () => Promise<T> {
  let last: { readonly result: Promise<T>; settledAt: number | null } | null = null;
  return () => {
    if (last && (last.settledAt === null || performance.now() - last.settledAt < keepMs)) return last.result;
    const current: { readonly result: Promise<T>; settledAt: number | null } = { result: call(), settledAt: null };
    last = current;
    current.result.then(
      () => {
        current.settledAt = performance.now();
      },
      () => {
        if (last === current) last = null;
      },
    );
    return current.result;
  };
}
