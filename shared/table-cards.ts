import { ErrorCode } from './errors';
import { err, ok, type Result } from './result';

/** The host's table cards: a PDF of cards to print, cut and stand on the tables. Admin only. */
export const ADMIN_TABLE_CARDS_PATH = '/api/admin/table-cards.pdf';

/** The card's one line of invitation, above the address (the console's preview says the same). */
export const TABLE_CARD_INVITATION = 'Scan to add your photos to the wall';

export const TABLE_CARD_SIZES = ['a6', 'a5'] as const;
export type TableCardSize = (typeof TABLE_CARD_SIZES)[number];
export const TABLE_CARD_PAPERS = ['a4', 'letter'] as const;
export type TableCardPaper = (typeof TABLE_CARD_PAPERS)[number];

export interface TableCardRequest {
  readonly size: TableCardSize;
  readonly paper: TableCardPaper;
}

/** How the cards sit on one printed sheet, in millimetres (the console describes it, the PDF draws it). */
export interface TableCardSheet {
  /** The sheet as printed: portrait for A6 cards (2 x 2), landscape for A5 cards (2 side by side). */
  readonly sheetMm: { readonly width: number; readonly height: number };
  readonly cols: number;
  readonly rows: number;
  /** One card: the sheet cut into cols x rows, so there is nothing to trim but the cuts between cards. */
  readonly cardMm: { readonly width: number; readonly height: number };
  /** The QR code's side without its quiet zone: 60% of the card's width (63 mm on A6, 89 mm on A5). */
  readonly qrMm: number;
}

const PAPER_MM: Record<TableCardPaper, { readonly short: number; readonly long: number }> = {
  a4: { short: 210, long: 297 },
  letter: { short: 215.9, long: 279.4 },
};

/** Scanning from across a table (about a metre): a code this wide or more reads at once. */
const QR_SHARE_OF_WIDTH = 0.6;

/**
 * A6 cards are an A4 sheet's quarters, A5 cards its halves. On Letter the same cuts give the nearest
 * US sizes: quarter letter (4¼ x 5½ in) and half letter (5½ x 8½ in). Every card stands upright.
 */
export function tableCardSheet({ size, paper }: TableCardRequest): TableCardSheet {
  const { short, long } = PAPER_MM[paper];
  const sheetMm = size === 'a6' ? { width: short, height: long } : { width: long, height: short };
  const [cols, rows] = size === 'a6' ? [2, 2] : [2, 1];
  const cardMm = { width: sheetMm.width / cols, height: sheetMm.height / rows };
  return { sheetMm, cols, rows, cardMm, qrMm: Math.round(cardMm.width * QR_SHARE_OF_WIDTH * 10) / 10 };
}

/** "table-cards-a6.pdf"; Letter sheets say so ("table-cards-a6-letter.pdf"). */
export function tableCardFileName({ size, paper }: TableCardRequest): string {
  return `table-cards-${size}${paper === 'a4' ? '' : `-${paper}`}.pdf`;
}

/** The query string's size and paper (defaults a6 on a4); anything else is a BAD_REQUEST naming the value. */
export function parseTableCardRequest(query: { readonly size?: unknown; readonly paper?: unknown }): Result<TableCardRequest> {
  const size = query.size ?? 'a6';
  const paper = query.paper ?? 'a4';
  if (typeof size !== 'string' || !(TABLE_CARD_SIZES as readonly string[]).includes(size)) {
    return err(ErrorCode.BadRequest, `size must be one of ${TABLE_CARD_SIZES.join(', ')} (got ${describe(size)}).`);
  }
  if (typeof paper !== 'string' || !(TABLE_CARD_PAPERS as readonly string[]).includes(paper)) {
    return err(ErrorCode.BadRequest, `paper must be one of ${TABLE_CARD_PAPERS.join(', ')} (got ${describe(paper)}).`);
  }
  return ok({ size: size as TableCardSize, paper: paper as TableCardPaper });
}

/** A bad value as the message quotes it: short, and a repeated parameter (an array) named as such. */
function describe(value: unknown): string {
  if (typeof value !== 'string') return 'more than one value';
  return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
}
