/**
 * The photo book's pages, as geometry only (no PDF, no images): which photos share a page, and
 * where each photo and its caption go. Pure, so the specs compute the page count the same way.
 * Units are PDF points (1/72 inch); y grows downwards, as pdfkit draws.
 */
import type { BookPaper } from '@photobook/shared';

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface Rect extends Size {
  readonly x: number;
  readonly y: number;
}

export const PAPER: Readonly<Record<BookPaper, Size>> = {
  a4: { width: 595.28, height: 841.89 },
  letter: { width: 612, height: 792 },
};

/** Print margins: wide enough for any home or shop printer, with a deeper foot for the page number. */
export const MARGIN = { side: 62, top: 66, bottom: 86 } as const;
/** Space between photos on one page. */
const GUTTER = 26;
/** Room under a photo for its caption and the guest's name. */
const CAPTION_ROOM = { roomy: 66, tight: 50 } as const;

export type LayoutKind = 'one-landscape' | 'one-portrait' | 'two-stacked' | 'two-side' | 'four-grid';

export interface PlannedPage {
  readonly layout: LayoutKind;
  /** How many of the next photos it takes. */
  readonly count: number;
}

export interface Slot {
  /** The photo, fitted to its shape. */
  readonly photo: Rect;
  /** The caption's box under it (centred text). */
  readonly caption: Rect;
  /** Lines of caption that fit. */
  readonly captionLines: number;
}

type Shape = 'landscape' | 'portrait';

/** Squares go with landscapes: they sit well in a wide frame. */
const shapeOf = (aspect: number): Shape => (aspect < 0.87 ? 'portrait' : 'landscape');

/** Every fourth page is a grid of four, for rhythm; the rest pair photos of one shape or give one a page. */
const GRID_EVERY = 4;

/**
 * The next page for the photos ahead (their width/height, in time order), the page being the
 * `index`th photo page. Depends only on the next four photos, so a page can be planned just before
 * it is drawn, once its photos are known to be still there.
 */
export function nextPage(ahead: readonly number[], index: number): PlannedPage {
  const [a, b] = ahead.map(shapeOf);
  if (a === undefined) throw new Error('no photo left to plan');
  if (ahead.length >= 4 && index % GRID_EVERY === GRID_EVERY - 1) return { layout: 'four-grid', count: 4 };
  if (b === a) return { layout: a === 'portrait' ? 'two-side' : 'two-stacked', count: 2 };
  return { layout: a === 'portrait' ? 'one-portrait' : 'one-landscape', count: 1 };
}

/** The whole book's photo pages for these aspects (width / height), in order. */
export function planPages(aspects: readonly number[]): PlannedPage[] {
  const pages: PlannedPage[] = [];
  for (let at = 0; at < aspects.length; ) {
    const page = nextPage(aspects.slice(at, at + 4), pages.length);
    pages.push(page);
    at += page.count;
  }
  return pages;
}

const content = (paper: Size): Rect => ({
  x: MARGIN.side,
  y: MARGIN.top,
  width: paper.width - 2 * MARGIN.side,
  height: paper.height - MARGIN.top - MARGIN.bottom,
});

/** The largest size of this aspect inside the box. */
export function fit(aspect: number, box: Size): Size {
  return aspect >= box.width / box.height ? { width: box.width, height: box.width / aspect } : { width: box.height * aspect, height: box.height };
}

/** A row of photos on a page: how many side by side, how wide, how tall at most, and their caption lines. */
interface RowPlan {
  readonly aspects: readonly number[];
  /** Width of each photo's cell. */
  readonly cell: number;
  readonly maxHeight: number;
  readonly lines: number;
  readonly room: number;
}

/**
 * Rows stacked with a gutter, the block a little above the page's middle (the optical centre). In a
 * row the photos stand on one line, so their captions start level; each is centred in its cell and
 * its caption is as wide as the cell.
 */
function rowsOf(plans: readonly RowPlan[], area: Rect): Slot[] {
  const fitted = plans.map((row) => row.aspects.map((a) => fit(a, { width: row.cell, height: row.maxHeight })));
  const photoHeights = fitted.map((sizes) => Math.max(...sizes.map((s) => s.height)));
  const block = plans.reduce((sum, row, i) => sum + photoHeights[i]! + row.room, 0) + GUTTER * (plans.length - 1);
  let top = area.y + Math.max(0, (area.height - block) * 0.42);
  const slots: Slot[] = [];
  plans.forEach((row, r) => {
    const width = row.cell * row.aspects.length + GUTTER * (row.aspects.length - 1);
    const left = area.x + (area.width - width) / 2;
    const base = top + photoHeights[r]!;
    fitted[r]!.forEach((size, i) => {
      const cellX = left + i * (row.cell + GUTTER);
      const photo = { x: cellX + (row.cell - size.width) / 2, y: base - size.height, ...size };
      slots.push({ photo, caption: { x: cellX, y: base + 10, width: row.cell, height: row.room - 10 }, captionLines: row.lines });
    });
    top = base + row.room + GUTTER;
  });
  return slots;
}

/** Where each photo of a page goes: its aspects in order, as many as the layout takes. */
export function placeSlots(layout: LayoutKind, aspects: readonly number[], paper: Size): Slot[] {
  const area = content(paper);
  const half = (size: number) => (size - GUTTER) / 2;
  const { roomy, tight } = CAPTION_ROOM;
  const row = (from: number, count: number, cell: number, maxHeight: number, lines: number, room: number): RowPlan => ({
    aspects: aspects.slice(from, from + count),
    cell,
    maxHeight: maxHeight - room,
    lines,
    room,
  });
  switch (layout) {
    case 'one-landscape':
      return rowsOf([row(0, 1, area.width, area.height * 0.86, 3, roomy)], area);
    case 'one-portrait':
      return rowsOf([row(0, 1, area.width * 0.8, area.height, 3, roomy)], area);
    case 'two-stacked':
      return rowsOf([row(0, 1, area.width, half(area.height), 2, tight), row(1, 1, area.width, half(area.height), 2, tight)], area);
    case 'two-side':
      return rowsOf([row(0, 2, half(area.width), area.height, 3, roomy)], area);
    case 'four-grid':
      return rowsOf([row(0, 2, half(area.width), half(area.height), 2, tight), row(2, 2, half(area.width), half(area.height), 2, tight)], area);
  }
}

/** The cover: the photo across the top part, the title and the date below it. */
export function coverLayout(aspect: number | null, paper: Size): { photo: Rect | null; text: Rect } {
  const area = content(paper);
  const box = { width: area.width, height: area.height * 0.6 };
  if (aspect === null) return { photo: null, text: { ...area, y: area.y + area.height * 0.3, height: area.height * 0.4 } };
  const size = fit(aspect, box);
  const photo = { x: area.x + (area.width - size.width) / 2, y: area.y + (box.height - size.height) * 0.6, ...size };
  const textTop = photo.y + photo.height + 40;
  return { photo, text: { x: area.x, y: textTop, width: area.width, height: area.y + area.height - textTop } };
}
