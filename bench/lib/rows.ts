import type { StoreKind } from './processes';
import { median } from './stats';

/** One figure as a figure measures it. */
export interface Row {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** "<= 300", ">= 0.8", or null for a figure shown for context only. */
  readonly target: string | null;
  /** Whether the target is met; null without a target (or when the figure could not be measured). */
  readonly met: boolean | null;
}

/** A row as printed and as written to bench/results/latest.json: which store the server ran on. */
export interface StoreRow extends Row {
  /** null for a figure that starts no server (processing): no store can change it. */
  readonly store: StoreKind | null;
}

const round = (value: number) => (Number.isFinite(value) ? Number(value.toPrecision(4)) : value);

export function atMost(name: string, value: number, unit: string, limit: number): Row {
  return { name, value: round(value), unit, target: `<= ${limit}`, met: Number.isFinite(value) ? value <= limit : null };
}

export function atLeast(name: string, value: number, unit: string, limit: number): Row {
  return { name, value: round(value), unit, target: `>= ${limit}`, met: Number.isFinite(value) ? value >= limit : null };
}

export function info(name: string, value: number, unit: string): Row {
  return { name, value: round(value), unit, target: null, met: null };
}

/**
 * Ours against a baseline, each the median of its samples: both medians for context, and their ratio
 * (ours / baseline) against the target `ratio` sets (atLeast or atMost with its limit).
 */
export function versus(
  ours: { readonly name: string; readonly samples: readonly number[] },
  baseline: { readonly name: string; readonly samples: readonly number[] },
  unit: string,
  ratio: (value: number) => Row,
): Row[] {
  const a = median(ours.samples);
  const b = median(baseline.samples);
  return [info(ours.name, a, unit), info(baseline.name, b, unit), ratio(a / b)];
}
