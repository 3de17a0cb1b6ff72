import { localLimiters, type Limiter, type LimiterFactory } from './limiter';

export interface RequestLimit {
  readonly requests: number;
  readonly windowSeconds: number;
}

/** Counts every request per key in a window; shared by replicas through Redis. */
export class RequestLimiter {
  private readonly limiter: Limiter;

  constructor(name: string, limit: RequestLimit, limiters: LimiterFactory = localLimiters) {
    this.limiter = limiters({ name, points: limit.requests, windowSeconds: limit.windowSeconds });
  }

  /** True, and counted, while `key` is within its limit. */
  allow(key: string): Promise<boolean> {
    return this.limiter.consume(key);
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

/**
 * A guest's full-quality downloads (/p/:id/download), per IP: a venue's guests share one address and
 * may each save a few dozen photos, yet one script cannot pull every full-size file over and over.
 */
export const DOWNLOAD_LIMIT: RequestLimit = { requests: 600, windowSeconds: 60 };
