import { RateLimiterMemory } from 'rate-limiter-flexible';

export interface AttemptLimit {
  /** Failures allowed per key within the window. */
  readonly failures: number;
  readonly windowSeconds: number;
}

/**
 * Counts failed attempts per key (a browser, an IP) in a sliding window; only failures count, so a
 * guest who types their code right is never slowed down. In memory per process for now: replicas
 * will share the count through rate-limiter-flexible's Redis store when Redis arrives.
 */
export class AttemptLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(private readonly limit: AttemptLimit) {
    this.limiter = new RateLimiterMemory({ points: limit.failures, duration: limit.windowSeconds });
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
