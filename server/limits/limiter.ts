import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimiterOptions {
  /** Names the counter in Redis (photobook:limit:<name>:<key>), so limiters never share keys. */
  readonly name: string;
  readonly points: number;
  readonly windowSeconds: number;
}

/** What a limiter's state says: points used in the window, and when the window (or a block) ends. */
export interface LimiterState {
  readonly consumedPoints: number;
  readonly msBeforeNext: number;
}

/**
 * One counter per key in a window, shared by every replica through Redis when there is one. While
 * Redis is away each replica counts on its own (the in-memory insurance): limits loosen to one per
 * replica for that time instead of failing guests. rate-limiter-flexible's own insurance covers some
 * calls and not penalty(), so the fallback is done here for all of them.
 */
export class Limiter {
  constructor(
    private readonly shared: RateLimiterRedis | null,
    private readonly local: RateLimiterMemory,
  ) {}

  /** True, and counted, while `key` is within its limit. */
  async consume(key: string): Promise<boolean> {
    try {
      await this.either((l) => l.consume(key));
      return true;
    } catch (e) {
      if (e instanceof RateLimiterRes) return false;
      throw e;
    }
  }

  get(key: string): Promise<LimiterState | null> {
    return this.either((l) => l.get(key));
  }

  penalty(key: string, points = 1): Promise<LimiterState> {
    return this.either((l) => l.penalty(key, points));
  }

  block(key: string, seconds: number): Promise<LimiterState> {
    return this.either((l) => l.block(key, seconds));
  }

  async delete(key: string): Promise<void> {
    await this.either((l) => l.delete(key));
  }

  /**
   * Takes the key's one point as a lease: a release function when granted (it frees the lease
   * where it was granted, Redis or this process, even if Redis came or went meanwhile), null when
   * someone holds it.
   */
  async lease(key: string): Promise<(() => Promise<void>) | null> {
    let granter: RateLimiterAbstract = this.local;
    try {
      await this.either((l) => ((granter = l), l.consume(key)));
    } catch (e) {
      if (e instanceof RateLimiterRes) return null;
      throw e;
    }
    return async () => {
      await granter.delete(key).catch(() => undefined);
    };
  }

  private async either<T>(op: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T> {
    if (this.shared === null) return op(this.local);
    try {
      return await op(this.shared);
    } catch (e) {
      // Over the limit is an answer; anything else is Redis failing, and the local count answers.
      if (e instanceof RateLimiterRes) throw e;
      return op(this.local);
    }
  }
}

export type LimiterFactory = (options: LimiterOptions) => Limiter;

/** One server on its own: counters in memory. */
export const localLimiters: LimiterFactory = (o) => new Limiter(null, new RateLimiterMemory({ points: o.points, duration: o.windowSeconds }));

/**
 * Replicas: counters in Redis. `client` is the ioredis client realtime/ made for this (commands
 * refused at once while Redis is down, so the fallback answers without waiting).
 */
export function sharedLimiters(client: unknown): LimiterFactory {
  return (o) =>
    new Limiter(
      new RateLimiterRedis({
        storeClient: client,
        keyPrefix: `photobook:limit:${o.name}`,
        points: o.points,
        duration: o.windowSeconds,
        rejectIfRedisNotReady: true,
      }),
      new RateLimiterMemory({ points: o.points, duration: o.windowSeconds }),
    );
}
