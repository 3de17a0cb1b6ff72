import { localLimiters, type Limiter, type LimiterFactory } from './limiter';
import { SharedTurns } from './shared-turns';

export interface LockoutLimit {
  /** Failures within the window that lock the key out. */
  readonly failures: number;
  readonly windowSeconds: number;
  readonly lockoutSeconds: number;
}

export interface SignInLimits {
  readonly perIp: LockoutLimit;
  /** All IPs together: a botnet guessing from many addresses still hits a ceiling. */
  readonly overall: LockoutLimit;
  /** The answer to an IP's first failure waits this long; each further failure doubles it. */
  readonly delayMs: number;
  readonly maxDelayMs: number;
}

/** One host signing in: a few typos cost seconds; a guesser is locked out for a quarter hour. */
export const SIGN_IN_LIMITS: SignInLimits = Object.freeze({
  perIp: { failures: 10, windowSeconds: 15 * 60, lockoutSeconds: 15 * 60 },
  overall: { failures: 100, windowSeconds: 15 * 60, lockoutSeconds: 5 * 60 },
  delayMs: 250,
  maxDelayMs: 8_000,
});

const OVERALL_KEY = 'all';

class Lockout {
  private readonly limiter: Limiter;

  constructor(
    name: string,
    private readonly limit: LockoutLimit,
    limiters: LimiterFactory,
  ) {
    this.limiter = limiters({ name, points: limit.failures, windowSeconds: limit.windowSeconds });
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  async retryAfterMs(key: string): Promise<number> {
    const state = await this.limiter.get(key);
    return state !== null && state.consumedPoints >= this.limit.failures ? Math.max(1, state.msBeforeNext) : 0;
  }

  /** Counts a failure and returns the key's failures so far; the last one allowed starts the lockout. */
  async failed(key: string): Promise<number> {
    const state = await this.limiter.penalty(key, 1);
    if (state.consumedPoints >= this.limit.failures) await this.limiter.block(key, this.limit.lockoutSeconds);
    return state.consumedPoints;
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}

/**
 * Failed admin sign-ins per IP and overall (rate-limiter-flexible). Only failures count. While
 * locked out even the right password is refused, so a guesser cannot tell when it hit. Replicas
 * share the counts through Redis, so a lockout on one holds on all.
 */
export class SignInLimiter {
  private readonly perIp: Lockout;
  private readonly overall: Lockout;
  private readonly turns: SharedTurns;

  constructor(
    private readonly limits: SignInLimits = SIGN_IN_LIMITS,
    limiters: LimiterFactory = localLimiters,
  ) {
    this.perIp = new Lockout('sign-in-ip', limits.perIp, limiters);
    this.overall = new Lockout('sign-in-all', limits.overall, limiters);
    this.turns = new SharedTurns('sign-in', limiters);
  }

  /**
   * Runs one IP's check-and-count at a time, on every replica: guesses sent at once would otherwise
   * all pass retryAfterMs() before any of them counted, and the lockout would bound nothing.
   */
  oneAtATime<T>(ip: string, task: () => Promise<T>): Promise<T> {
    return this.turns.run(ip, task);
  }

  /** Milliseconds until `ip` may try again (its own lockout or everyone's); 0 when it may now. */
  async retryAfterMs(ip: string): Promise<number> {
    const [own, all] = await Promise.all([this.perIp.retryAfterMs(ip), this.overall.retryAfterMs(OVERALL_KEY)]);
    return Math.max(own, all);
  }

  /** Counts a failure; returns how long to hold the answer back (growing with the IP's failures). */
  async failed(ip: string): Promise<number> {
    const [failures] = await Promise.all([this.perIp.failed(ip), this.overall.failed(OVERALL_KEY)]);
    return Math.min(this.limits.delayMs * 2 ** Math.max(0, failures - 1), this.limits.maxDelayMs);
  }

  /** The right password from this IP: its earlier typos are forgiven (the overall count stays). */
  async succeeded(ip: string): Promise<void> {
    await this.perIp.reset(ip);
  }
}
