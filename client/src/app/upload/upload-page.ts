import { ChangeDetectionStrategy, Component, computed, inject, signal, viewChild, type ElementRef } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ACCEPTED_MIME_TYPES, ErrorCode, MAX_AUTHOR_GRAPHEMES, MAX_CAPTION_GRAPHEMES, countGraphemes } from '@photobook/shared';
import { RETRYING_MESSAGE, messageForCode } from '../core/error-messages';
import { RealtimeService } from '../core/realtime.service';
import { AuthorStore } from './author-store';
import { UploadQueue, captionTooLong, type UploadItem } from './upload-queue';

/** The guest's phone page: pick photos, caption them, send them to the wall. */
@Component({
  selector: 'app-upload-page',
  imports: [RouterLink],
  providers: [UploadQueue],
  templateUrl: './upload-page.html',
  styleUrl: './upload-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UploadPage {
  protected readonly queue = inject(UploadQueue);
  private readonly authorStore = inject(AuthorStore);
  private readonly realtime = inject(RealtimeService);
  /** Pause state, limits and the event's title from the host, live. */
  protected readonly settings = this.realtime.settings;
  /** The event's name as the heading; empty: the generic one. */
  protected readonly title = computed(() => this.settings()?.title?.trim() ?? '');
  private readonly fileInput = viewChild.required<ElementRef<HTMLInputElement>>('fileInput');

  /** HEIC is deliberately missing: iOS then hands us a JPEG. */
  protected readonly accept = ACCEPTED_MIME_TYPES.join(',');
  protected readonly maxCaption = MAX_CAPTION_GRAPHEMES;
  protected readonly maxAuthor = MAX_AUTHOR_GRAPHEMES;
  protected readonly retryingMessage = RETRYING_MESSAGE;
  protected readonly storageFullMessage = messageForCode(ErrorCode.StorageFull);

  protected readonly author = signal(this.authorStore.load());
  protected readonly authorLength = computed(() => countGraphemes(this.author()));
  protected readonly authorTooLong = computed(() => this.authorLength() > MAX_AUTHOR_GRAPHEMES);

  /** Photos the button would send: not on their way already, and not refused for their size. */
  protected readonly waitingCount = computed(
    () => this.queue.pending().filter((i) => i.status() !== 'uploading' && i.tooLarge() === null).length,
  );
  protected readonly canUpload = computed(
    () =>
      !this.queue.running() &&
      this.waitingCount() > 0 &&
      !this.authorTooLong() &&
      !this.queue.anyCaptionTooLong(),
  );
  protected readonly overallPercent = computed(() => {
    const total = this.queue.totalBytes();
    return total === 0 ? 0 : Math.round((100 * this.queue.confirmedBytes()) / total);
  });

  constructor() {
    // Connect now so a pause message shows before the guest picks anything.
    this.realtime.connect();
  }

  protected onAuthorInput(value: string): void {
    this.author.set(value);
    this.authorStore.save(value);
  }

  protected onFilesPicked(input: HTMLInputElement): void {
    if (input.files?.length) this.queue.add(Array.from(input.files));
    // Lets the guest pick the same photo again after removing it.
    input.value = '';
  }

  protected onCaptionInput(item: UploadItem, value: string): void {
    item.caption.set(value);
  }

  protected upload(): void {
    if (!this.canUpload()) return;
    void this.queue.start(this.author().trim());
  }

  protected addMore(): void {
    this.queue.clear();
    this.fileInput().nativeElement.click();
  }

  protected captionLength(item: UploadItem): number {
    return countGraphemes(item.caption());
  }

  protected captionTooLong(item: UploadItem): boolean {
    return captionTooLong(item.caption());
  }

  /** Only while the photo waits: one on its way or on the wall keeps going whatever the host changes. */
  protected refusedForSize(item: UploadItem): string | null {
    const status = item.status();
    return status === 'ready' || status === 'failed' ? item.tooLarge() : null;
  }

  protected percent(item: UploadItem): number {
    const size = item.uploadSize();
    return size === 0 ? 0 : Math.round((100 * item.confirmedBytes()) / size);
  }
}
