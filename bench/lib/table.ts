import type { Row } from './rows';

const verdict = (row: Row) => (row.met === null ? '' : row.met ? 'yes' : 'NO');
const value = (row: Row) => (Number.isFinite(row.value) ? String(row.value) : 'n/a');

/** A fixed-width table for the terminal. */
export function textTable(rows: readonly Row[]): string {
  const cells = rows.map((r) => [r.name, value(r), r.unit, r.target ?? '', verdict(r)]);
  const header = ['figure', 'value', 'unit', 'target', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((cell, i) => (i === 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** The same rows as a Markdown table, for README's Performance section. */
export function markdownTable(rows: readonly Row[]): string {
  const lines = ['| Figure | Value | Unit | Target | Met |', '| --- | ---: | --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${r.name} | ${value(r)} | ${r.unit} | ${r.target ?? ''} | ${verdict(r)} |`);
  return lines.join('\n');
}
