import {
  ChangeDetectionStrategy,
  Component,
  Injector,
  afterNextRender,
  computed,
  inject,
  input,
  output,
  signal,
  viewChild,
  type ElementRef,
} from '@angular/core';
import {
  ErrorCode,
  MAX_AUTHOR_GRAPHEMES,
  MAX_CAPTION_GRAPHEMES,
  countGraphemes,
  exceedsGraphemes,
  type MyPhotoDto,
  type PhotoUpdateRequest,
} from '@photobook/shared';
import { messageFor, messageForCodeIn } from '../core/error-messages';
import { MyPhotos } from './my-photos';

type Mode = 'view' | 'edit' | 'confirm-delete';

const STATE_WORDS: Record<MyPhotoDto['state'], string> = {
  visible: 'On the wall',
  pending: 'Waiting for the host',
  hidden: 'Hidden by the host',
};

const TIME = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/** One of the guest's photos: where it stands, and inline edit and delete. */
@Component({
  selector: 'app-photo-card',
  templateUrl: './photo-card.html',
  styleUrls: ['./mine-controls.css', './photo-card.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PhotoCard {
  private readonly store = inject(MyPhotos);
  private readonly injector = inject(Injector);

  readonly photo = input.required<MyPhotoDto>();
  /** The photo left the list because of this card (deleted, or found gone): focus has to go somewhere. */
  readonly left = output<void>();
  /** The thumbnail was tapped: the page opens the full-screen viewer on this photo. */
  readonly opened = output<void>();

  protected readonly maxCaption = MAX_CAPTION_GRAPHEMES;
  protected readonly maxAuthor = MAX_AUTHOR_GRAPHEMES;
  protected readonly captionTooLongMessage = messageForCodeIn(ErrorCode.CaptionTooLong, 'mine');
  protected readonly authorTooLongMessage = messageForCodeIn(ErrorCode.AuthorTooLong, 'mine');

  protected readonly mode = signal<Mode>('view');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly caption = signal('');
  protected readonly author = signal('');

  protected readonly stateWords = computed(() => STATE_WORDS[this.photo().state] ?? STATE_WORDS.visible);
  protected readonly time = computed(() => TIME.format(this.photo().createdAt));
  protected readonly isoTime = computed(() => new Date(this.photo().createdAt).toISOString());
  /** What a screen reader hears after "Edit" or "Delete", so each card's buttons are told apart. */
  protected readonly label = computed(() => shorten(this.photo().caption) || `from ${this.time()}`);
  protected readonly captionLength = computed(() => countGraphemes(this.caption()));
  protected readonly authorLength = computed(() => countGraphemes(this.author()));
  protected readonly captionTooLong = computed(() => exceedsGraphemes(this.caption(), MAX_CAPTION_GRAPHEMES));
  protected readonly authorTooLong = computed(() => exceedsGraphemes(this.author(), MAX_AUTHOR_GRAPHEMES));
  protected readonly canSave = computed(() => !this.busy() && !this.captionTooLong() && !this.authorTooLong());

  private readonly editButton = viewChild<ElementRef<HTMLButtonElement>>('editButton');
  private readonly deleteButton = viewChild<ElementRef<HTMLButtonElement>>('deleteButton');
  private readonly captionField = viewChild<ElementRef<HTMLTextAreaElement>>('captionField');
  private readonly keepButton = viewChild<ElementRef<HTMLButtonElement>>('keepButton');

  protected startEdit(): void {
    this.caption.set(this.photo().caption);
    this.author.set(this.photo().author);
    this.error.set(null);
    this.mode.set('edit');
    this.focusSoon(this.captionField);
  }

  protected cancel(): void {
    if (this.busy()) return;
    const from = this.mode();
    this.mode.set('view');
    this.error.set(null);
    this.focusSoon(from === 'confirm-delete' ? this.deleteButton : this.editButton);
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.canSave()) return;
    const request = this.changes();
    if (!request) {
      this.cancel();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    const result = await this.store.update(request);
    this.busy.set(false);
    if (result.ok) {
      this.mode.set('view');
      this.store.announce('Saved.');
      this.focusSoon(this.editButton);
    } else if (result.error.code === ErrorCode.NotFound) {
      this.left.emit();
    } else {
      this.error.set(messageFor(result.error, 'mine'));
    }
  }

  protected askDelete(): void {
    this.error.set(null);
    this.mode.set('confirm-delete');
    this.focusSoon(this.keepButton);
  }

  protected async confirmDelete(): Promise<void> {
    if (this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    const result = await this.store.remove(this.photo().id);
    this.busy.set(false);
    if (result.ok) this.left.emit();
    else this.error.set(messageFor(result.error, 'mine'));
  }

  /** Only the fields that changed, so an edit in another tab to the other field is not undone. */
  private changes(): PhotoUpdateRequest | null {
    const { id, caption, author } = this.photo();
    const next = { caption: this.caption(), author: this.author().trim() };
    const request: { id: string; caption?: string; author?: string } = { id };
    if (next.caption !== caption) request.caption = next.caption;
    if (next.author !== author) request.author = next.author;
    return Object.keys(request).length > 1 ? request : null;
  }

  private focusSoon(target: () => ElementRef<HTMLElement> | undefined): void {
    afterNextRender(() => target()?.nativeElement.focus(), { injector: this.injector });
  }
}

/** A 500-character caption is too much to hear on every button. */
function shorten(caption: string, max = 40): string {
  const chars = Array.from(caption.replace(/\s+/g, ' ').trim());
  return chars.length > max ? `${chars.slice(0, max).join('').trimEnd()}…` : chars.join('');
}
