import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  viewChild,
} from '@angular/core';
import type { AdminStateFilter } from '@photobook/shared';
import { AdminConsole } from './admin-console';
import { BulkBar } from './bulk-bar';
import { AdminPhotoCard } from './photo-card';
import { PhotoGridStore } from './photo-grid-store';
import { PreviewDialog } from './preview-dialog';

interface FilterTab {
  readonly state: AdminStateFilter;
  readonly label: string;
}

const TABS: readonly FilterTab[] = [
  { state: 'all', label: 'All' },
  { state: 'visible', label: 'On the wall' },
  { state: 'pending', label: 'Waiting' },
  { state: 'hidden', label: 'Hidden' },
];

/** How close to the viewport the end of the grid comes before the next page loads. */
const LOAD_MARGIN_PX = 600;

/** Whether the element is within LOAD_MARGIN_PX of the viewport, as laid out now. */
function nearViewport(element: HTMLElement): boolean {
  const height = element.ownerDocument.defaultView?.innerHeight ?? 0;
  const { top, bottom } = element.getBoundingClientRect();
  return bottom >= -LOAD_MARGIN_PX && top <= height + LOAD_MARGIN_PX;
}

/** Every photo, filtered and searchable, live; select for bulk actions, click for the preview. */
@Component({
  selector: 'app-photo-grid',
  imports: [AdminPhotoCard, BulkBar, PreviewDialog],
  templateUrl: './photo-grid.html',
  styleUrls: ['./admin-controls.css', './photo-grid.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PhotoGrid {
  protected readonly store = inject(PhotoGridStore);
  private readonly console = inject(AdminConsole);
  private readonly sentinel = viewChild<ElementRef<HTMLElement>>('sentinel');
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  protected readonly tabs = TABS;
  protected readonly counts = computed<Record<AdminStateFilter, number | null>>(() => {
    const photos = this.console.stats()?.photos;
    if (!photos) return { all: null, visible: null, pending: null, hidden: null };
    return { all: photos.visible + photos.pending + photos.hidden, ...photos };
  });
  protected readonly emptyWords = computed(() => {
    const { state, search, guest } = this.store.filter();
    if (search || guest !== null) return 'No photos match. Try another search, or clear the filters.';
    if (state === 'pending') return 'Nothing is waiting for approval.';
    if (state === 'hidden') return 'No hidden photos.';
    if (state === 'visible') return 'No photos on the wall yet.';
    return 'No photos yet. They appear here the moment guests send them.';
  });

  constructor() {
    this.store.ensureLoaded();
    const injector = inject(Injector);
    // Scrolling near the end loads the next page; the button stays for keyboards and old browsers.
    let observer: IntersectionObserver | undefined;
    afterNextRender(() => {
      if (typeof IntersectionObserver === 'undefined') return;
      const element = this.sentinel()?.nativeElement;
      if (!element) return;
      const loadIfNear = async () => {
        if (!this.store.hasMore() || !nearViewport(element)) return;
        await this.store.loadMore();
        // Still in view on a tall screen: observing again reports it again, so the next page comes.
        observer?.unobserve(element);
        observer?.observe(element);
      };
      observer = new IntersectionObserver((entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        // An entry tells where the sentinel was when the browser last drew, maybe before the first page
        // arrived to push it far down: decide once the grid shows what the store holds, by where it is then.
        afterNextRender(() => void loadIfNear(), { injector });
      }, { rootMargin: `${LOAD_MARGIN_PX}px 0px` });
      observer.observe(element);
    });
    inject(DestroyRef).onDestroy(() => observer?.disconnect());
  }

  /** Back from the preview: focus on the card of the photo last shown (or the grid's heading). */
  protected focusCard(id: string): void {
    const host = this.host.nativeElement;
    const button = host.querySelector<HTMLElement>(`[data-photo-id="${CSS.escape(id)}"] [data-testid="open-preview"]`);
    button?.focus();
  }

  protected toggle(id: string, range: boolean): void {
    this.store.toggleSelected(id, range);
  }
}
