import {
  ChangeDetectionStrategy,
  Component,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  output,
  signal,
  viewChild,
  type ElementRef,
} from '@angular/core';
import { STATE_WORDS, formatTime, isoTime } from './format';
import { PhotoGridStore } from './photo-grid-store';

type Confirm = 'delete' | 'block' | null;

/**
 * The large preview of one photo (a modal <dialog>: Esc closes it, focus stays inside), with the
 * host's actions; ← and → move through the grid as filtered.
 */
@Component({
  selector: 'app-preview-dialog',
  templateUrl: './preview-dialog.html',
  styleUrls: ['./admin-controls.css', './preview-dialog.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PreviewDialog {
  protected readonly store = inject(PhotoGridStore);
  private readonly injector = inject(Injector);
  private readonly dialog = viewChild<ElementRef<HTMLDialogElement>>('dialog');
  private readonly closeButton = viewChild<ElementRef<HTMLButtonElement>>('closeButton');
  private readonly safeButton = viewChild<ElementRef<HTMLButtonElement>>('safeButton');
  /** The last photo shown: the grid puts the focus back on its card when the preview closes. */
  readonly closedOn = output<string>();
  private lastId: string | null = null;

  protected readonly photo = this.store.previewed;
  private readonly photoId = computed(() => this.photo()?.id ?? null);
  protected readonly confirm = signal<Confirm>(null);
  protected readonly alsoHide = signal(false);
  protected readonly busy = signal(false);
  protected readonly stateWords = computed(() => {
    const photo = this.photo();
    return photo ? STATE_WORDS[photo.state] : '';
  });
  protected readonly time = computed(() => {
    const photo = this.photo();
    return photo ? formatTime(photo.createdAt) : '';
  });
  protected readonly iso = computed(() => {
    const photo = this.photo();
    return photo ? isoTime(photo.createdAt) : '';
  });
  protected readonly position = computed(() => {
    const photo = this.photo();
    const list = this.store.photos();
    if (!photo) return '';
    return `${list.findIndex((p) => p.id === photo.id) + 1} of ${list.length}${this.store.hasMore() ? '+' : ''}`;
  });

  constructor() {
    effect(() => {
      const open = this.photoId() !== null;
      const dialog = this.dialog()?.nativeElement;
      if (!dialog) return;
      if (open && !dialog.open) {
        dialog.showModal();
        this.focusSoon(this.closeButton);
      } else if (!open && dialog.open) {
        dialog.close();
      }
    });
    // Another photo, another question: a confirmation never carries over to the next photo.
    effect(() => {
      this.lastId = this.photoId() ?? this.lastId;
      this.confirm.set(null);
      this.alsoHide.set(false);
    });
  }

  protected close(): void {
    this.store.closePreview();
  }

  /** A question replaces the buttons: focus goes to its harmless answer. */
  protected ask(what: 'delete' | 'block'): void {
    this.confirm.set(what);
    this.focusSoon(this.safeButton);
  }

  protected back(): void {
    this.confirm.set(null);
    this.focusSoon(this.closeButton);
  }

  /** Esc while a question is open answers it with "no" and keeps the preview open. */
  protected cancelled(event: Event): void {
    if (this.confirm() === null) return;
    event.preventDefault();
    this.back();
  }

  /** The dialog closed (Esc, or the store closed it): focus returns to the grid. */
  protected closed(): void {
    this.store.closePreview();
    if (this.lastId !== null) this.closedOn.emit(this.lastId);
    this.lastId = null;
  }

  protected keydown(event: KeyboardEvent): void {
    if (event.target instanceof HTMLInputElement || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'ArrowRight') void this.store.step(1);
    else if (event.key === 'ArrowLeft') void this.store.step(-1);
    else return;
    event.preventDefault();
  }

  protected async moderate(state: 'visible' | 'hidden'): Promise<void> {
    const photo = this.photo();
    if (!photo || this.busy()) return;
    await this.act(() => this.store.moderate(photo, state));
  }

  protected async remove(): Promise<void> {
    const photo = this.photo();
    if (photo && !this.busy()) await this.act(() => this.store.remove(photo));
  }

  protected async block(): Promise<void> {
    const photo = this.photo();
    if (photo && !this.busy()) await this.act(() => this.store.block(photo, this.alsoHide()));
  }

  protected async unblock(): Promise<void> {
    const photo = this.photo();
    if (photo && !this.busy()) await this.act(() => this.store.unblock(photo));
  }

  private focusSoon(target: () => ElementRef<HTMLElement> | undefined): void {
    afterNextRender(() => target()?.nativeElement.focus(), { injector: this.injector });
  }

  private async act(action: () => Promise<boolean>): Promise<void> {
    this.busy.set(true);
    await action();
    this.busy.set(false);
    if (this.confirm() !== null) this.back();
  }
}
