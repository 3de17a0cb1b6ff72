/** Figures computed from other figures' rows of the same run (no measurement of their own). */
import { atMost } from './rows';
import type { StoreRow } from './rows';

const WALL_P50 = 'upload-to-wall: display shown p50';
const BARE_SHARP = 'processing: bare sharp median';

/**
 * Close to the floor (issue 25): upload-to-wall p50 over bare sharp making the same display and
 * thumb from the same file, target 1.3x; one row per store that measured upload-to-wall, when the
 * processing figure ran too (it runs once, on no store).
 */
export function derivedRows(rows: readonly StoreRow[]): StoreRow[] {
  const bare = rows.find((r) => r.name === BARE_SHARP)?.value;
  if (bare === undefined || !Number.isFinite(bare) || bare <= 0) return [];
  return rows
    .filter((r) => r.name === WALL_P50 && Number.isFinite(r.value))
    .map((r) => ({ ...atMost('floor: upload-to-wall p50 / bare sharp', r.value / bare, 'x', 1.3), store: r.store }));
}
