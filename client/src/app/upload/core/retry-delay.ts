/** A factor between 0.5 and 1 that each backoff step is multiplied by. */
export type Jitter = () => number;

/**
 * Phones that lost the venue's Wi-Fi together would otherwise all come back in the same instant;
 * a random factor spreads them while keeping at least half of each step.
 */
export const randomJitter: Jitter = () => 0.5 + Math.random() / 2;

/** The wait before retry `attempt` (from 0): its step, or the last one, times the jitter (held to [0.5, 1]). */
export function backoffDelay(steps: readonly number[], attempt: number, jitter: Jitter): number {
  const step = steps[Math.min(attempt, steps.length - 1)] ?? 0;
  const factor = jitter();
  return Math.round(step * (Number.isFinite(factor) ? Math.min(1, Math.max(0.5, factor)) : 1));
}
