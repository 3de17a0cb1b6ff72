import { RateLimiterMemory } from 'rate-limiter-flexible';

export interface RequestLimit {
  readonly requests: number;
  readonly windowSeconds: number;
}

/** Counts every request per key in a window (rate-limiter-flexible); per process until Redis arrives. */
export class RequestLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(limit: RequestLimit) {
    this.limiter = new RateLimiterMemory({ points: limit.requests, duration: limit.windowSeconds });
  }

  /** True, and counted, while `key` is within its limit. */
  async allow(key: string): Promise<boolean> {
    try {
      await this.limiter.consume(key);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * upload:begin, per guest and per IP: generous, since one begin is one photo (plus its resumes) and a
 * venue's guests share one IP, yet a script minting cookies cannot hammer the store.
 */
export const BEGIN_LIMITS = {
  perGuest: { requests: 120, windowSeconds: 60 },
  perIp: { requests: 1_200, windowSeconds: 60 },
} as const;
