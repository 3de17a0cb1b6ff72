/** Space between tiles, CSS px. */
export const TILE_GAP = 4;

export interface GridShape {
  readonly columns: number;
  /** One row's height including the gap below it: the virtual scroll's item size. */
  readonly rowHeight: number;
}

/** Three square tiles across a phone, more on wider screens; tiles stay between about 110 and 220 px. */
export function gridShape(width: number): GridShape {
  const usable = Math.max(240, width);
  const columns = usable < 560 ? 3 : usable < 840 ? 4 : usable < 1120 ? 5 : 6;
  const tile = (usable - TILE_GAP * (columns - 1)) / columns;
  return { columns, rowHeight: Math.round(tile + TILE_GAP) };
}

/** The photos cut into rows of `columns` (the last one may be short). */
export function toRows<T>(items: readonly T[], columns: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += columns) rows.push(items.slice(i, i + columns));
  return rows;
}
