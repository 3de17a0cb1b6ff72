import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import {
  ADMIN_BOOK_PATH,
  BOOK_PAPERS,
  type BookCoverDto,
  type BookDto,
  type BookPaper,
  type BookStatusDto,
} from '@photobook/shared';
import { AdminSocketService } from '../core/admin-socket.service';
import { AdminConsole, adminMessage } from './admin-console';
import { formatBytes } from './format';

const PAPER_NAMES: Record<BookPaper, string> = { a4: 'A4', letter: 'US Letter' };
/** Events carry the progress; this look, while a book is being made, covers one that got lost. */
export const BOOK_POLL_MS = 3_000;

const DAY_TIME = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit' });

/**
 * The photo book: the host picks the paper and the cover photo, asks for the book, follows its
 * progress live (from whichever server makes it) and downloads the PDF once it is ready. The last
 * ready book stays downloadable while a new one is made.
 */
@Component({
  selector: 'app-book-panel',
  templateUrl: './book-panel.html',
  styleUrls: ['./admin-controls.css', './print-panel.css', './book-panel.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BookPanel {
  private readonly console = inject(AdminConsole);
  private readonly socket = inject(AdminSocketService);
  private pollTimer: ReturnType<typeof setInterval> | undefined;

  protected readonly papers = BOOK_PAPERS;
  protected readonly paperNames = PAPER_NAMES;
  protected readonly downloadUrl = ADMIN_BOOK_PATH;
  protected readonly paper = signal<BookPaper>('a4');
  /** The chosen cover; null: the first photo (the server's default too). */
  protected readonly cover = signal<string | null>(null);
  protected readonly title = signal('');
  protected readonly date = signal('');
  protected readonly photos = signal<readonly BookCoverDto[]>([]);
  protected readonly totalPhotos = signal<number | null>(null);
  private readonly nextPhotos = signal<number | null>(null);
  protected readonly morePhotos = computed(() => this.nextPhotos() !== null);
  protected readonly status = signal<BookStatusDto | null>(null);
  protected readonly asking = signal(false);
  /** Why the last request was refused (BOOK_BUSY, BOOK_EMPTY, ...). */
  protected readonly refusal = signal<string | null>(null);
  protected readonly eventTitle = this.console.title;

  protected readonly latest = computed(() => this.status()?.latest ?? null);
  protected readonly ready = computed(() => this.status()?.ready ?? null);
  protected readonly working = computed(() => {
    const state = this.latest()?.state;
    return state === 'queued' || state === 'making';
  });
  protected readonly failed = computed(() => (this.latest()?.state === 'failed' ? this.latest() : null));
  protected readonly coverId = computed(() => this.cover() ?? this.photos()[0]?.id ?? null);
  protected readonly percent = computed(() => {
    const book = this.latest();
    return book && book.total > 0 ? Math.round((100 * book.placed) / book.total) : 0;
  });
  protected readonly progressText = computed(() => {
    const book = this.latest();
    if (!book) return '';
    if (book.state === 'queued') return book.error ? `Trying again: ${book.error}` : 'Waiting to start…';
    return book.total > 0 ? `${book.placed.toLocaleString()} of ${book.total.toLocaleString()} photos` : 'Starting…';
  });

  constructor() {
    const subscriptions = [
      this.socket.connects$.subscribe(() => void this.refresh()),
      this.socket.bookChanged$.subscribe((status) => this.show(status)),
    ];
    inject(DestroyRef).onDestroy(() => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      clearInterval(this.pollTimer);
    });
  }

  protected pickPaper(paper: BookPaper): void {
    this.paper.set(paper);
  }

  protected pickCover(photo: BookCoverDto): void {
    this.cover.set(photo.id);
  }

  protected readyLine(book: BookDto): string {
    const size = book.bytes === null ? '' : formatBytes(book.bytes);
    const when = book.finishedAt === null ? '' : DAY_TIME.format(book.finishedAt);
    return [`${PAPER_NAMES[book.paper]}`, size, when ? `made ${when}` : ''].filter(Boolean).join(' · ');
  }

  protected async make(): Promise<void> {
    if (this.asking() || this.working()) return;
    this.asking.set(true);
    this.refusal.set(null);
    const result = await this.socket.request('admin:book', {
      paper: this.paper(),
      coverPhotoId: this.cover(),
      title: this.title().trim() || null,
      date: this.date() || null,
      locale: navigator.language || null,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || null,
    });
    this.asking.set(false);
    if (result.ok) {
      this.show(result.value);
      this.console.notify('The photo book is on its way.');
    } else {
      this.refusal.set(adminMessage(result.error));
    }
  }

  protected async loadMorePhotos(): Promise<void> {
    const from = this.nextPhotos();
    if (from !== null) await this.loadPhotos(from);
  }

  private async refresh(): Promise<void> {
    const [status] = await Promise.all([this.socket.request('admin:book-status', {}), this.loadPhotos(0)]);
    if (status.ok) this.show(status.value);
  }

  private async loadPhotos(from: number): Promise<void> {
    const page = await this.socket.request('admin:book-photos', { from });
    if (!page.ok) return;
    this.photos.update((shown) => (from === 0 ? page.value.photos : [...shown, ...page.value.photos]));
    this.nextPhotos.set(page.value.next);
    this.totalPhotos.set(page.value.total);
  }

  /** Follows the server's word, and looks again every few seconds while a book is being made. */
  private show(status: BookStatusDto): void {
    this.status.set(status);
    const working = this.working();
    if (working && this.pollTimer === undefined) {
      this.pollTimer = setInterval(() => void this.poll(), BOOK_POLL_MS);
    } else if (!working && this.pollTimer !== undefined) {
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
    }
  }

  private async poll(): Promise<void> {
    const status = await this.socket.request('admin:book-status', {});
    if (status.ok) this.show(status.value);
  }
}
