/** Order statistics for latency samples; percentiles by linear interpolation between ranks. */

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

// A loop, not Math.max(...samples): spreading 100,000+ samples overflows the call stack.
export const max = (samples: readonly number[]): number => (samples.length ? samples.reduce((a, b) => (b > a ? b : a)) : Number.NaN);

/** p50, p95 and p99 of one series. */
export function spread(samples: readonly number[]): { p50: number; p95: number; p99: number } {
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99) };
}
