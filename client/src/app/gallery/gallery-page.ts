import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { CdkFixedSizeVirtualScroll, CdkVirtualScrollViewport, CdkVirtualScrollableWindow } from '@angular/cdk/scrolling';
import { BehaviorSubject } from 'rxjs';
import { RouterLink } from '@angular/router';
import type { PhotoDto } from '@photobook/shared';
import { RealtimeService } from '../core/realtime.service';
import { GalleryFeed } from './gallery-feed';
import { PhotoViewer } from './photo-viewer';
import { gridShape, toRows } from './photo-rows';
import { ViewerUrl } from './viewer-url';
import { altText } from './viewer-photo';

/** Rows from the end of what is loaded at which the next page is asked for. */
const PAGE_AHEAD_ROWS = 8;

/**
 * /gallery: every photo on the wall, newest first, live, on a phone. Rows of square thumbnails in a
 * virtual scroll over the window (only the rows near the screen are in the DOM, so 10,000 photos
 * scroll like 10), older pages fetched as the guest nears the end; a tap opens the full-screen viewer.
 */
@Component({
  selector: 'app-gallery-page',
  imports: [RouterLink, CdkVirtualScrollViewport, CdkFixedSizeVirtualScroll, CdkVirtualScrollableWindow, PhotoViewer],
  providers: [GalleryFeed, ViewerUrl],
  templateUrl: './gallery-page.html',
  styleUrl: './gallery-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GalleryPage {
  protected readonly feed = inject(GalleryFeed);
  protected readonly viewer = inject(ViewerUrl);
  private readonly settings = inject(RealtimeService).settings;
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  private readonly viewport = viewChild(CdkVirtualScrollViewport);
  private readonly width = signal(typeof window === 'undefined' ? 390 : window.innerWidth);

  protected readonly title = computed(() => this.settings()?.title?.trim() ?? '');
  protected readonly shape = computed(() => gridShape(this.width()));
  protected readonly rows = computed(() => toRows(this.feed.photos(), this.shape().columns));
  protected readonly count = computed(() => {
    const n = Math.max(this.feed.total(), this.feed.photos().length);
    return n === 1 ? '1 photo' : `${n} photos`;
  });
  /** The viewer waits for the list, so a reload on ?photo=ID opens on that photo rather than closing. */
  protected readonly openId = computed(() => (this.feed.loaded() ? this.viewer.openId() : null));
  protected readonly altText = altText;
  /** The rows the viewport renders now, with their place in the whole list. */
  private readonly range = signal<{ readonly start: number; readonly end: number }>({ start: 0, end: 0 });
  protected readonly shownRows = computed(() => {
    const { start, end } = this.range();
    return this.rows()
      .slice(start, end)
      .map((photos, i) => ({ index: start + i, photos }));
  });

  constructor() {
    afterNextRender(() => this.observeWidth());
    // The viewport's own repeater (rows in, rendered range out) rather than *cdkVirtualFor, whose
    // IterableDiffer would land in the chunk every page loads (first load of /upload: +4.5 KB).
    const rows$ = new BehaviorSubject<readonly (readonly PhotoDto[])[]>([]);
    effect(() => rows$.next(this.rows()));
    let attached: CdkVirtualScrollViewport | null = null;
    effect((onCleanup) => {
      const viewport = this.viewport();
      if (!viewport || viewport === attached) return;
      attached = viewport;
      untracked(() => viewport.attach({ dataStream: rows$, measureRangeSize: (r) => (r.end - r.start) * this.shape().rowHeight }));
      const sub = viewport.renderedRangeStream.subscribe((range) => this.range.set(range));
      onCleanup(() => {
        sub.unsubscribe();
        attached = null;
      });
    });
    // Live photos and pages change the rows without moving the rendered range: check the end again.
    effect(() => {
      this.rows();
      untracked(() => this.checkEnd());
    });
    // Closing the viewer: back to the tile of the photo seen last, which may be far down by now.
    let lastOpen: string | null = null;
    effect(() => {
      const open = this.openId();
      if (open === null && lastOpen !== null) {
        const id = lastOpen;
        untracked(() => this.returnFocus(id));
      }
      lastOpen = open;
    });
  }

  protected onRangeChange(): void {
    this.checkEnd();
  }

  protected open(photo: PhotoDto): void {
    this.viewer.open(photo.id);
  }

  private checkEnd(): void {
    const viewport = this.viewport();
    if (!viewport || !this.feed.hasMore()) return;
    const end = viewport.getRenderedRange().end;
    if (end >= this.rows().length - PAGE_AHEAD_ROWS) this.feed.loadMore();
  }

  private returnFocus(id: string): void {
    const index = this.feed.photos().findIndex((p) => p.id === id);
    if (index < 0) return;
    const row = Math.floor(index / this.shape().columns);
    const viewport = this.viewport();
    const range = viewport?.getRenderedRange();
    if (viewport && range && (row < range.start || row >= range.end)) viewport.scrollToIndex(row);
    afterNextRender(
      () => {
        const tile = this.host.nativeElement.querySelector<HTMLElement>(`[data-testid="gallery-tile"][data-photo-id="${CSS.escape(id)}"]`);
        tile?.focus({ preventScroll: false });
      },
      { injector: this.injector },
    );
  }

  private observeWidth(): void {
    const element = this.host.nativeElement.querySelector<HTMLElement>('.grid-area') ?? this.host.nativeElement;
    // The content box: the tiles' room, without the area's side padding.
    const observer = new ResizeObserver(([entry]) => {
      if (entry && entry.contentRect.width > 0) this.width.set(entry.contentRect.width);
    });
    observer.observe(element);
    this.injector.get(DestroyRef).onDestroy(() => observer.disconnect());
  }
}
