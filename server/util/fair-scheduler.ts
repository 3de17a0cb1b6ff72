export interface FairSchedulerOptions {
  /**
   * Total weight in flight at most (for images: pixels, which is what decoding and encoding cost
   * in memory and time). A task is never weighed above it, so the heaviest allowed one runs alone.
   */
  readonly capacity: number;
  /** Tasks in flight at most, however light (one per core: more only makes each one slower). */
  readonly maxRunning: number;
}

interface Waiting {
  readonly weight: number;
  readonly start: () => void;
}

interface Guest {
  /** This guest's tasks not started yet, in arrival order. */
  readonly waiting: Waiting[];
  running: number;
  /** When this guest was last served (a turn started or ended) or began waiting: the tie-break. */
  since: number;
}

/**
 * Runs tasks under a weight budget and a count cap, taking turns between guests instead of
 * first come, first served: a guest who queues six heavy images must not keep everybody else's
 * photo off the wall for six heavy images' time.
 *
 * Each time capacity frees, the turn goes to the waiting guest with the fewest running tasks, ties
 * to the one served least recently. So a newcomer waits only for the task in flight to end, never
 * behind another guest's backlog; and a guest whose task just ended counts as served just now,
 * which hands the next turn to whoever was waiting meanwhile.
 *
 * Turns are strict: when the guest whose turn it is has a task that does not fit the budget yet,
 * nothing starts until it fits. Lighter tasks slipping past would starve a big image for as long
 * as small ones keep arriving. Nor can its turn be taken once that guest has nothing running:
 * guests who get down to as few running tasks later were served later, so they rank behind it.
 *
 * No I/O and no timers: the order is decided only by calls to run() and tasks settling.
 */
export class FairScheduler {
  private readonly guests = new Map<string, Guest>();
  private inFlight = 0;
  private running = 0;
  /** A counter, not a clock: ordering needs no time, and specs need no fake timers. */
  private ticks = 0;

  constructor(private readonly options: FairSchedulerOptions) {}

  run<T>(guestId: string, weight: number, task: () => Promise<T>): Promise<T> {
    // Whole numbers keep the in-flight sum exact; an unknown weight counts as the heaviest.
    const weighed = Number.isFinite(weight) ? Math.min(Math.max(Math.ceil(weight), 0), this.options.capacity) : this.options.capacity;
    return new Promise<T>((resolve, reject) => {
      const guest = this.guest(guestId);
      if (guest.waiting.length === 0) guest.since = ++this.ticks;
      guest.waiting.push({
        weight: weighed,
        start: () => {
          const finish = () => this.finished(guestId, guest, weighed);
          // A task that throws before returning its promise still gives its capacity back.
          new Promise<T>((settle) => settle(task())).then(
            (value) => {
              finish();
              resolve(value);
            },
            (error: unknown) => {
              finish();
              reject(error);
            },
          );
        },
      });
      this.pump();
    });
  }

  /** What is in flight and waiting, for stats and specs. */
  get load(): { readonly running: number; readonly inFlight: number; readonly waiting: number } {
    let waiting = 0;
    for (const guest of this.guests.values()) waiting += guest.waiting.length;
    return { running: this.running, inFlight: this.inFlight, waiting };
  }

  private guest(id: string): Guest {
    let guest = this.guests.get(id);
    if (!guest) {
      guest = { waiting: [], running: 0, since: 0 };
      this.guests.set(id, guest);
    }
    return guest;
  }

  /** Starts tasks, turn by turn, while the next one fits. */
  private pump(): void {
    while (this.running < this.options.maxRunning) {
      const guest = this.nextTurn();
      const next = guest?.waiting[0];
      if (!guest || !next) return;
      if (this.inFlight + next.weight > this.options.capacity) return; // strict turn: wait for it to fit
      guest.waiting.shift();
      guest.running++;
      guest.since = ++this.ticks;
      this.running++;
      this.inFlight += next.weight;
      next.start();
    }
  }

  /** Fewest running tasks first, then served least recently. A party has hundreds of guests at most. */
  private nextTurn(): Guest | undefined {
    let best: Guest | undefined;
    for (const guest of this.guests.values()) {
      if (guest.waiting.length === 0) continue;
      if (!best || guest.running < best.running || (guest.running === best.running && guest.since < best.since)) best = guest;
    }
    return best;
  }

  private finished(id: string, guest: Guest, weight: number): void {
    this.running--;
    this.inFlight -= weight;
    guest.running--;
    guest.since = ++this.ticks;
    if (guest.running === 0 && guest.waiting.length === 0) this.guests.delete(id);
    this.pump();
  }
}
