import { InjectionToken } from '@angular/core';
import { randomJitter, type Jitter } from './core/retry-delay';

export { backoffDelay, randomJitter, type Jitter } from './core/retry-delay';

/** Replaceable in specs, so their waits are exact. */
export const UPLOAD_JITTER = new InjectionToken<Jitter>('UPLOAD_JITTER', {
  providedIn: 'root',
  factory: () => randomJitter,
});
