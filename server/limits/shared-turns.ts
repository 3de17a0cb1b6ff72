import { KeyedQueue } from '../util/concurrency';
import { localLimiters, type LimiterFactory } from './limiter';

/** Runs one task per key at a time: in this process always, across replicas when they share Redis. */
export interface Turns {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/** How long one replica may hold a turn: a crashed holder frees it after this. */
const LEASE_SECONDS = 10;
const WAIT_STEP_MS = 20;
/** Going ahead without a lease (none could be had in time, or the store failed): nothing to free. */
const NO_LEASE = async (): Promise<void> => undefined;

/**
 * A guest's begins (the open-upload limit counts, then opens) and the admission of new uploads
 * (space and caps) are check-then-act: two replicas doing them at once could both pass the check.
 * A turn is a leased counter of one point in Redis; holders queue in-process first, so only one
 * request per replica ever waits on Redis. While Redis is down each replica keeps its own turns.
 */
export class SharedTurns implements Turns {
  private readonly local = new KeyedQueue();
  private readonly lease;

  constructor(name: string, limiters: LimiterFactory = localLimiters) {
    this.lease = limiters({ name: `turn:${name}`, points: 1, windowSeconds: LEASE_SECONDS });
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      const release = await this.acquire(key);
      try {
        return await task();
      } finally {
        await release();
      }
    });
  }

  private async acquire(key: string): Promise<() => Promise<void>> {
    const deadline = Date.now() + LEASE_SECONDS * 1000;
    // Past the deadline the lease has expired anyway: go ahead rather than fail the guest.
    while (Date.now() < deadline) {
      const release = await this.lease.lease(key).catch(() => NO_LEASE);
      if (release) return release;
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    }
    return NO_LEASE;
  }
}
