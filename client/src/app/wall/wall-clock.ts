import { InjectionToken } from '@angular/core';

/** Time for the wall's show, behind a token so specs can drive it by hand. */
export interface WallClock {
  /** Milliseconds, monotonic (a clock change at 3 a.m. must not freeze the show). */
  now(): number;
  /** Calls fn every ms until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
  /** Calls fn once after ms unless the returned function is called first. */
  after(ms: number, fn: () => void): () => void;
}

const browserClock: WallClock = {
  now: () => performance.now(),
  every: (ms, fn) => {
    const timer = setInterval(fn, ms);
    return () => clearInterval(timer);
  },
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

export const WALL_CLOCK = new InjectionToken<WallClock>('WALL_CLOCK', { providedIn: 'root', factory: () => browserClock });
