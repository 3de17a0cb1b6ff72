/** One figure as printed and as written to bench/results/latest.json. */
export interface Row {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** "<= 300", ">= 0.8", or null for a figure shown for context only. */
  readonly target: string | null;
  /** Whether the target is met; null without a target (or when the figure could not be measured). */
  readonly met: boolean | null;
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
