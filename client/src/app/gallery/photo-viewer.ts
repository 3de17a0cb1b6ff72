import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
  untracked,
  viewChild,
  type ElementRef,
} from '@angular/core';
import { SwipeTracker } from './swipe';
import { ViewerActions } from './viewer-actions';
import { ViewerPhotoFrame, type ViewerPhoto } from './viewer-photo';

/** Within this many photos of the end of what is loaded, the viewer asks for more. */
export const NEAR_END = 6;
/** How long "That photo was taken down" stays. */
const NOTICE_MS = 3_000;

const STATE_WORDS: Record<NonNullable<ViewerPhoto['state']>, string> = {
  visible: 'On the wall',
  pending: 'Waiting for the host',
  hidden: 'Hidden by the host',
};

const TIME = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/**
 * The full-screen viewer over a list of photos (the gallery's, or a guest's own on My photos): a
 * modal dialog (focus stays inside, the page behind is inert), swipes, arrow keys and buttons to
 * move, Escape or Close to leave. The page owns which photo is open (it is in the URL): the viewer
 * asks for a move (`go`) or to close (`closed`). A photo that leaves the list while open (deleted,
 * hidden) is followed by its neighbour, or the viewer closes when none is left.
 */
@Component({
  selector: 'app-photo-viewer',
  imports: [ViewerActions, ViewerPhotoFrame],
  templateUrl: './photo-viewer.html',
  styleUrl: './photo-viewer.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:keydown)': 'onKey($event)' },
})
export class PhotoViewer {
  readonly photos = input.required<readonly ViewerPhoto[]>();
  readonly currentId = input.required<string>();
  /** Photos there are in all (the gallery has more than it loaded); defaults to the list's length. */
  readonly total = input<number | null>(null);
  /** Show the photo's state (My photos: pending and hidden ones too). */
  readonly showState = input(false);
  readonly go = output<string>();
  readonly closed = output<void>();
  readonly nearEnd = output<void>();

  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private readonly swipe = new SwipeTracker();
  private lastIndex: number | null = null;
  private closing = false;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  protected readonly index = computed(() => {
    const id = this.currentId();
    return this.photos().findIndex((p) => p.id === id);
  });
  protected readonly photo = computed<ViewerPhoto | null>(() => this.photos()[this.index()] ?? null);
  /** The frame is made anew for each photo, so its loading state starts over. */
  protected readonly frames = computed(() => {
    const photo = this.photo();
    return photo ? [photo] : [];
  });
  protected readonly count = computed(() => Math.max(this.total() ?? 0, this.photos().length));
  protected readonly hasPrevious = computed(() => this.index() > 0);
  protected readonly hasNext = computed(() => this.index() >= 0 && this.index() < this.photos().length - 1);
  protected readonly offset = signal(0);
  protected readonly notice = signal<string | null>(null);
  protected readonly stateWords = computed(() => STATE_WORDS[this.photo()?.state ?? 'visible']);
  protected readonly time = computed(() => {
    const at = this.photo()?.createdAt;
    return at ? { text: TIME.format(at), iso: new Date(at).toISOString() } : null;
  });

  constructor() {
    effect(() => {
      const index = this.index();
      const photos = this.photos();
      untracked(() => this.follow(index, photos));
    });
    // Neighbours' display images load in the background, so a swipe shows the next photo at once.
    effect(() => {
      const i = this.index();
      const photos = this.photos();
      for (const neighbour of [photos[i + 1], photos[i - 1]]) if (neighbour && i >= 0) new Image().src = neighbour.displayUrl;
    });
    afterNextRender(() => {
      const dialog = this.dialog().nativeElement;
      if (!dialog.open) dialog.showModal();
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.noticeTimer));
  }

  protected next(): void {
    const photo = this.photos()[this.index() + 1];
    if (photo && this.index() >= 0) this.go.emit(photo.id);
  }

  protected previous(): void {
    const photo = this.photos()[this.index() - 1];
    if (photo) this.go.emit(photo.id);
  }

  /** Close button, Escape, or the dialog closed by the browser: the page takes the viewer away. */
  protected requestClose(): void {
    if (this.closing) return;
    this.closing = true;
    this.closed.emit();
  }

  protected onKey(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    if (event.key === 'ArrowRight') this.next();
    else if (event.key === 'ArrowLeft') this.previous();
    else if (event.key === 'Escape') this.requestClose();
    else return;
    event.preventDefault();
  }

  protected onPointerDown(event: PointerEvent): void {
    if (!event.isPrimary || event.button !== 0) return;
    this.swipe.down(event.pointerId, event.clientX, event.clientY, event.timeStamp);
    try {
      (event.currentTarget as Element).setPointerCapture(event.pointerId);
    } catch {
      // A pointer the browser no longer tracks: the swipe just ends on its own pointerup.
    }
  }

  protected onPointerMove(event: PointerEvent): void {
    if (this.swipe.active) this.offset.set(this.edgeDamped(this.swipe.move(event.pointerId, event.clientX, event.clientY)));
  }

  protected onPointerUp(event: PointerEvent): void {
    const turn = this.swipe.up(event.pointerId, event.clientX, event.clientY, event.timeStamp);
    this.offset.set(0);
    if (turn === 'next') this.next();
    else if (turn === 'previous') this.previous();
  }

  protected onPointerCancel(): void {
    this.swipe.cancel();
    this.offset.set(0);
  }

  /** At the first or last photo the drag only gives a little, so the guest sees there is no more. */
  private edgeDamped(dx: number): number {
    return (dx > 0 && !this.hasPrevious()) || (dx < 0 && !this.hasNext()) ? dx / 4 : dx;
  }

  /** Keeps track of where the open photo sits, to move on to its neighbour if it leaves the list. */
  private follow(index: number, photos: readonly ViewerPhoto[]): void {
    if (index >= 0) {
      this.lastIndex = index;
      if (index >= photos.length - NEAR_END) this.nearEnd.emit();
      return;
    }
    const neighbour = this.lastIndex === null ? undefined : photos[Math.min(this.lastIndex, photos.length - 1)];
    if (!neighbour) {
      this.requestClose();
      return;
    }
    this.say('That photo was taken down.');
    this.go.emit(neighbour.id);
  }

  private say(message: string): void {
    clearTimeout(this.noticeTimer);
    this.notice.set(message);
    this.noticeTimer = setTimeout(() => this.notice.set(null), NOTICE_MS);
  }
}
