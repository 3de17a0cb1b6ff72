import type { AdminChanges } from '@photobook/shared';
import type { ClientResult } from '../core/client-result';

export type FetchChanges = (sinceSeq: number) => Promise<ClientResult<AdminChanges>>;

/**
 * Keeps one loaded list in step with the server's change feed: each push names a seq, and the
 * follower asks admin:changes from the last seq it holds until it has reached it. Pushes that arrive
 * while a fetch runs are coalesced into one more fetch. A new list (another filter) starts again
 * from its own seq; answers meant for the old list are dropped.
 */
export class ChangeFollower {
  private held: number | null = null;
  private target = 0;
  private generation = 0;
  private running = false;
  private again = false;

  constructor(
    private readonly fetch: FetchChanges,
    private readonly apply: (changes: AdminChanges) => void,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  get seq(): number | null {
    return this.held;
  }

  /** A fresh list was loaded at this feed position (or null: a load is on its way). */
  reset(seq: number | null): void {
    this.generation++;
    this.held = seq;
    if (seq !== null && this.target > seq) void this.run();
  }

  /** The server said something changed up to seq. */
  notify(seq: number): void {
    this.target = Math.max(this.target, seq);
    if (this.held !== null && seq > this.held) void this.run();
  }

  /** After a reconnect (pushes may have been missed) or an own action: ask once whatever the target. */
  catchUp(): void {
    if (this.held !== null) void this.run(true);
  }

  private async run(force = false): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    let once = force;
    try {
      while (this.held !== null && (once || this.again || this.held < this.target)) {
        once = false;
        this.again = false;
        const since = this.held;
        const generation = this.generation;
        const result = await this.fetch(since);
        if (generation !== this.generation) continue;
        if (!result.ok) {
          this.onError(result.error);
          break;
        }
        this.apply(result.value);
        if (result.value.seq > since) this.held = result.value.seq;
        // An answer that moves nothing forward ends the round (unless a push came meanwhile).
        else if (!this.again) break;
      }
    } finally {
      this.running = false;
    }
  }
}
