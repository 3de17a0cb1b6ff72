/**
 * The photo book as a PDF, written page by page: the only module that imports pdfkit. pdfkit writes
 * each object as it ends (an image's bytes when it is placed, a page when the next one starts), and
 * keeps a registry only of images given by file name, never of buffers; so with one photo's JPEG in
 * hand at a time, memory stays flat however long the book. Text goes through the font chain
 * (fonts.ts), every accent and script in its own embedded, subsetted font.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { allFonts, loadedFont, type FontWeight } from './fonts';
import { coverLayout, placeSlots, type LayoutKind, type Rect, type Size } from './layout';
import { breakLines, type Line } from './text-lines';

/**
 * A photo to place: its shape, its words, and how to get its print JPEG for the frame it gets (null
 * when it is gone: its place stays empty). Loaded only when its turn on the page comes.
 */
export interface PagePhoto {
  readonly aspect: number;
  readonly caption: string;
  readonly author: string;
  readonly load: (frame: Size) => Promise<Buffer | null>;
}

interface TextStyle {
  readonly weight: FontWeight;
  readonly size: number;
  /** Baseline to baseline. */
  readonly leading: number;
  readonly color: string;
  readonly spacing?: number;
  readonly upper?: boolean;
}

const INK = '#2b2b2b';
const STYLES = {
  title: { weight: 'bold', size: 30, leading: 38, color: '#1f1f1f' },
  date: { weight: 'regular', size: 11.5, leading: 16, color: '#6b6b6b', spacing: 1.6, upper: true },
  footnote: { weight: 'regular', size: 8.5, leading: 12, color: '#9a9a9a', spacing: 0.4 },
  caption: { weight: 'regular', size: 9.5, leading: 13, color: INK },
  name: { weight: 'bold', size: 7, leading: 11, color: '#8c8c8c', spacing: 0.9, upper: true },
  folio: { weight: 'regular', size: 8.5, leading: 10, color: '#9a9a9a', spacing: 0.6 },
} as const satisfies Record<string, TextStyle>;

/** Extra room a single photo's caption gets: a page of its own reads a little larger. */
const ROOMY_CAPTION: TextStyle = { ...STYLES.caption, size: 10.5, leading: 14.5 };

export interface CoverText {
  readonly title: string;
  readonly date: string;
  readonly footnote: string;
}

export class BookDocument {
  private readonly doc: PDFKit.PDFDocument;
  private pages = 0;
  /** Fonts are registered when first used: a book with no Chinese never loads the 10 MB CJK files. */
  private readonly unregistered = new Map(allFonts().map((f) => [f.name, f.path]));
  /** The file's write failed (a full disk): the next wait says so. */
  private failure: Error | null = null;

  constructor(
    private readonly paper: Size,
    private readonly out: Writable,
    title: string,
  ) {
    this.doc = new PDFDocument({
      size: [paper.width, paper.height],
      margin: 0,
      autoFirstPage: false,
      pdfVersion: '1.7',
      info: { Title: title, Creator: 'Photobook', Producer: 'Photobook' },
    });
    out.on('error', (e: Error) => (this.failure ??= e));
    this.doc.pipe(out);
  }

  async cover(photo: Pick<PagePhoto, 'aspect' | 'load'> | null, text: CoverText): Promise<void> {
    this.newPage();
    const layout = coverLayout(photo ? photo.aspect : null, this.paper);
    const jpeg = photo && layout.photo ? await photo.load(layout.photo) : null;
    if (jpeg && layout.photo) this.image(jpeg, layout.photo);
    const box = layout.text;
    let y = box.y;
    // From the title's last baseline: a short rule, then the date under it.
    y = this.write(text.title, STYLES.title, box, y + STYLES.title.size, 3) - STYLES.title.leading + 26;
    const rule = 36;
    this.doc.moveTo(box.x + (box.width - rule) / 2, y).lineTo(box.x + (box.width + rule) / 2, y).lineWidth(0.6).strokeColor('#b8b8b8').stroke();
    y += 22;
    if (text.date) this.write(text.date, STYLES.date, box, y, 1);
    this.write(text.footnote, STYLES.footnote, box, box.y + box.height - STYLES.footnote.leading, 1);
  }

  /**
   * A page of photos, as placeSlots lays out `layout` for them, with its number at the foot. Each
   * photo's JPEG is loaded, placed (pdfkit writes it out at once) and let go before the next.
   */
  async photoPage(layout: LayoutKind, photos: readonly PagePhoto[]): Promise<void> {
    this.newPage();
    const slots = placeSlots(layout, photos.map((p) => p.aspect), this.paper);
    const style = layout.startsWith('one') || layout === 'two-side' ? ROOMY_CAPTION : STYLES.caption;
    for (const [i, slot] of slots.entries()) {
      const photo = photos[i]!;
      const jpeg = await photo.load(slot.photo);
      if (!jpeg) continue;
      this.image(jpeg, slot.photo);
      let y = slot.caption.y + style.size;
      if (photo.caption) y = this.write(photo.caption, style, slot.caption, y, slot.captionLines) + 2;
      if (photo.author) this.write(photo.author, STYLES.name, slot.caption, y + 1, 1);
    }
    const folio = { x: 0, width: this.paper.width };
    this.write(String(this.pages), STYLES.folio, folio, this.paper.height - 46, 1);
  }

  /** Waits while the file is behind, so the document never runs far ahead of the disk. */
  async drained(): Promise<void> {
    while (!this.failure && this.out.writableNeedDrain) await once(this.out, 'drain');
    if (this.failure) throw this.failure;
  }

  /** Ends the document: fonts (subsets) and the cross-reference table go last; resolves when written. */
  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    const done = new Promise<void>((resolve, reject) => {
      this.out.once('close', () => (this.failure ? reject(this.failure) : resolve()));
    });
    this.doc.end();
    await done;
  }

  /** The document, set to a font of the chain (registered with the process's parsed copy the first time). */
  private font(name: string): PDFKit.PDFDocument {
    const path = this.unregistered.get(name);
    if (path !== undefined) {
      // pdfkit takes a parsed fontkit font as well as a path; its types name only files and buffers.
      this.doc.registerFont(name, loadedFont(path) as unknown as string);
      this.unregistered.delete(name);
    }
    return this.doc.font(name);
  }

  private newPage(): void {
    this.doc.addPage({ size: [this.paper.width, this.paper.height], margin: 0 });
    this.pages++;
  }

  private image(jpeg: Buffer, at: Rect): void {
    this.doc.image(jpeg, at.x, at.y, { width: at.width, height: at.height });
  }

  /**
   * Centred lines of `text` from baseline `y` (at most `maxLines`, cut with an ellipsis); returns
   * the baseline after the last line.
   */
  private write(text: string, style: TextStyle, box: Pick<Rect, 'x' | 'width'>, y: number, maxLines: number): number {
    const shown = style.upper ? text.toLocaleUpperCase() : text;
    const spacing = style.spacing ?? 0;
    const measure = (font: string, s: string) => this.font(font).fontSize(style.size).widthOfString(s, { characterSpacing: spacing });
    const lines: Line[] = breakLines(shown, style.weight, box.width, maxLines, measure);
    this.doc.fillColor(style.color);
    for (const line of lines) {
      let x = box.x + (box.width - line.width) / 2;
      for (const piece of line.pieces) {
        this.font(piece.font).fontSize(style.size).text(piece.text, x, y, { lineBreak: false, baseline: 'alphabetic', characterSpacing: spacing });
        x += piece.width;
      }
      y += style.leading;
    }
    return y;
  }
}
