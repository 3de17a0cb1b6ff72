import { ChangeDetectionStrategy, Component, DOCUMENT, computed, inject, signal } from '@angular/core';
import {
  ADMIN_TABLE_CARDS_PATH,
  JOIN_INFO_PATH,
  JOIN_QR_PATH,
  TABLE_CARD_INVITATION,
  TABLE_CARD_PAPERS,
  TABLE_CARD_SIZES,
  shortAddress,
  tableCardSheet,
  type JoinInfo,
  type TableCardPaper,
  type TableCardSize,
} from '@photobook/shared';
import { AdminConsole } from './admin-console';
import { ADMIN_FETCH } from './admin-session';

const PAPER_NAMES: Record<TableCardPaper, string> = { a4: 'A4', letter: 'US Letter' };
const SIZE_NAMES: Record<TableCardPaper, Record<TableCardSize, string>> = {
  a4: { a6: 'A6', a5: 'A5' },
  letter: { a6: 'Quarter letter', a5: 'Half letter' },
};

/**
 * Table cards: the host picks a card size and the paper, sees one card as it will print (the same
 * title, code, invitation and address as the PDF) and downloads the PDF. The address is the one the
 * server gives guests' phones, so a console opened on localhost still shows the LAN address.
 */
@Component({
  selector: 'app-table-card-panel',
  templateUrl: './table-card-panel.html',
  styleUrls: ['./admin-controls.css', './print-panel.css', './table-card-panel.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TableCardPanel {
  private readonly console = inject(AdminConsole);
  private readonly fetch = inject(ADMIN_FETCH);
  protected readonly size = signal<TableCardSize>('a6');
  protected readonly paper = signal<TableCardPaper>('a4');
  private readonly uploadUrl = signal(`${inject(DOCUMENT).location.origin}/upload`);

  protected readonly sizes = TABLE_CARD_SIZES;
  protected readonly papers = TABLE_CARD_PAPERS;
  protected readonly paperNames = PAPER_NAMES;
  protected readonly invitation = TABLE_CARD_INVITATION;
  protected readonly qrSrc = JOIN_QR_PATH;
  protected readonly title = this.console.title;
  protected readonly address = computed(() => shortAddress(this.uploadUrl()));
  protected readonly sheet = computed(() => tableCardSheet({ size: this.size(), paper: this.paper() }));
  protected readonly downloadUrl = computed(() => `${ADMIN_TABLE_CARDS_PATH}?size=${this.size()}&paper=${this.paper()}`);
  /** "4 A6 cards per A4 sheet, each 105 x 148.5 mm; code 63 mm wide." */
  protected readonly layout = computed(() => {
    const { cols, rows, cardMm, qrMm } = this.sheet();
    const mm = (n: number) => String(Math.round(n * 10) / 10);
    const cards = `${cols * rows} ${SIZE_NAMES[this.paper()][this.size()]} cards per ${PAPER_NAMES[this.paper()]} sheet`;
    return `${cards}, each ${mm(cardMm.width)} x ${mm(cardMm.height)} mm; code ${Math.round(qrMm)} mm wide.`;
  });
  protected readonly sizeNames = computed(() => SIZE_NAMES[this.paper()]);
  /** The preview keeps the card's shape; the code takes the same share of its width as on paper. */
  protected readonly aspect = computed(() => `${this.sheet().cardMm.width} / ${this.sheet().cardMm.height}`);
  protected readonly qrShare = computed(() => `${(100 * this.sheet().qrMm) / this.sheet().cardMm.width}%`);

  constructor() {
    void this.loadAddress();
  }

  protected pickSize(size: TableCardSize): void {
    this.size.set(size);
  }

  protected pickPaper(paper: TableCardPaper): void {
    this.paper.set(paper);
  }

  /** The address guests' phones reach; the page's own origin until the server says (or if it cannot). */
  private async loadAddress(): Promise<void> {
    try {
      const response = await this.fetch(JOIN_INFO_PATH);
      const info = (await response.json()) as Partial<JoinInfo>;
      if (response.ok && typeof info.uploadUrl === 'string' && /^https?:\/\//.test(info.uploadUrl)) this.uploadUrl.set(info.uploadUrl);
    } catch {
      // The first guess stays.
    }
  }
}
