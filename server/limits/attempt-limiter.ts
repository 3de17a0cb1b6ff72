import { localLimiters, type Limiter, type LimiterFactory } from './limiter';

export interface AttemptLimit {
  /** Failures allowed per key within the window. */
  readonly failures: number;
  readonly windowSeconds: number;
}

/**
 * Counts failed attempts per key (a browser, an IP) in a sliding window; only failures count, so a
 * guest who types their code right is never slowed down. Shared by replicas through Redis.
 */
export class AttemptLimiter {
  private readonly limiter: Limiter;

  constructor(
    name: string,
    private readonly limit: AttemptLimit,
    limiters: LimiterFactory = localLimiters,
  ) {
    this.limiter = limiters({ name, points: limit.failures, windowSeconds: limit.windowSeconds });
  }

  /** True when `key` used up its failures for now. */
  async blocked(key: string): Promise<boolean> {
    const state = await this.limiter.get(key);
    return state !== null && state.consumedPoints >= this.limit.failures;
  }

  async failed(key: string): Promise<void> {
    await this.limiter.penalty(key, 1);
  }
}
