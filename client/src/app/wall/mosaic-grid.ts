/** How a mosaic of n tiles fills the screen: a grid, the first tile spanning more cells when n would leave a hole. */
export interface MosaicGrid {
  readonly cols: number;
  readonly rows: number;
  readonly heroCols: number;
  readonly heroRows: number;
}

/** A 4x3 grid at most: tiles big enough to see from the back of the room. */
export const MAX_TILES = 12;

const GRIDS: readonly MosaicGrid[] = [
  { cols: 1, rows: 1, heroCols: 1, heroRows: 1 },
  { cols: 1, rows: 1, heroCols: 1, heroRows: 1 },
  { cols: 2, rows: 1, heroCols: 1, heroRows: 1 },
  { cols: 2, rows: 2, heroCols: 1, heroRows: 2 },
  { cols: 2, rows: 2, heroCols: 1, heroRows: 1 },
  { cols: 3, rows: 2, heroCols: 1, heroRows: 2 },
  { cols: 3, rows: 2, heroCols: 1, heroRows: 1 },
  { cols: 4, rows: 2, heroCols: 1, heroRows: 2 },
  { cols: 4, rows: 2, heroCols: 1, heroRows: 1 },
  { cols: 4, rows: 3, heroCols: 2, heroRows: 2 },
  { cols: 4, rows: 3, heroCols: 1, heroRows: 3 },
  { cols: 4, rows: 3, heroCols: 2, heroRows: 1 },
  { cols: 4, rows: 3, heroCols: 1, heroRows: 1 },
];

export function mosaicGrid(tiles: number): MosaicGrid {
  return GRIDS[Math.max(0, Math.min(MAX_TILES, tiles))]!;
}
