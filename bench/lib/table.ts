import type { Row, StoreRow } from './rows';

const verdict = (row: Row | undefined) => (!row || row.met === null ? '' : row.met ? 'yes' : 'NO');
const value = (row: Row) => (Number.isFinite(row.value) ? String(row.value) : 'n/a');

/** Fixed-width columns; the columns in `right` are right-aligned (numbers). */
function aligned(header: readonly string[], cells: readonly string[][], right: readonly number[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((cell, i) => (right.includes(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** A fixed-width table for the terminal. */
export function textTable(rows: readonly Row[]): string {
  const cells = rows.map((r) => [r.name, value(r), r.unit, r.target ?? '', verdict(r)]);
  return aligned(['figure', 'value', 'unit', 'target', 'met'], cells, [1]);
}

/** The same rows as a Markdown table, for README's Performance section. */
export function markdownTable(rows: readonly Row[]): string {
  const lines = ['| Figure | Value | Unit | Target | Met |', '| --- | ---: | --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${r.name} | ${value(r)} | ${r.unit} | ${r.target ?? ''} | ${verdict(r)} |`);
  return lines.join('\n');
}

interface Pair {
  readonly first: Row;
  readonly embedded?: StoreRow;
  readonly mongo?: StoreRow;
}

/** Rows of the same name side by side, in the order they first appear; a storeless row fills the embedded side. */
function pairs(rows: readonly StoreRow[]): Pair[] {
  const byName = new Map<string, { first: Row; embedded?: StoreRow; mongo?: StoreRow }>();
  for (const r of rows) {
    const pair = byName.get(r.name) ?? { first: r };
    if (r.store === 'mongo') pair.mongo = r;
    else pair.embedded = r;
    byName.set(r.name, pair);
  }
  return [...byName.values()];
}

// A storeless row (processing) has one value: the MongoDB column says it is the same one.
const mongoCell = (p: Pair) => (p.mongo ? value(p.mongo) : p.embedded?.store === null ? '(same)' : '');
const cellsOf = (p: Pair) => [
  p.first.name, p.embedded ? value(p.embedded) : '', mongoCell(p), p.first.unit, p.first.target ?? '', verdict(p.embedded), verdict(p.mongo),
];

/** Both stores in one fixed-width table: a value and a verdict per store. */
export function storeTextTable(rows: readonly StoreRow[]): string {
  const header = ['figure', 'embedded', 'MongoDB', 'unit', 'target', 'met embedded', 'met MongoDB'];
  return aligned(header, pairs(rows).map(cellsOf), [1, 2]);
}

/** Both stores as one Markdown table, for README's Performance section. */
export function storeMarkdownTable(rows: readonly StoreRow[]): string {
  const lines = ['| Figure | Embedded | MongoDB | Unit | Target | Met (embedded) | Met (MongoDB) |', '| --- | ---: | ---: | --- | --- | --- | --- |'];
  for (const p of pairs(rows)) lines.push(`| ${cellsOf(p).join(' | ')} |`);
  return lines.join('\n');
}
