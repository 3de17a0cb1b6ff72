import { ChangeDetectionStrategy, Component, computed, inject, signal, viewChild, type ElementRef } from '@angular/core';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { ACCEPTED_MIME_TYPES, ErrorCode, MAX_AUTHOR_GRAPHEMES, MAX_CAPTION_GRAPHEMES, countGraphemes } from '@photobook/shared';
import { RETRYING_MESSAGE, messageForCode } from '../core/error-messages';
import { RealtimeService } from '../core/realtime.service';
import { AuthorStore } from './author-store';
import { InstallHint } from './install-hint';
import { OnlineStatus } from './online-status';
import { takeSharedFiles } from './share-inbox';
import { UploadQueue, captionTooLong, type UploadItem } from './upload-queue';

/** The guest's phone page: pick photos, caption them, send them to the wall. */
@Component({
  selector: 'app-upload-page',
  imports: [RouterLink, InstallHint],
  providers: [UploadQueue],
  templateUrl: './upload-page.html',
  styleUrl: './upload-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UploadPage {
  protected readonly queue = inject(UploadQueue);
  private readonly authorStore = inject(AuthorStore);
  private readonly realtime = inject(RealtimeService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
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

  /** False while the phone has no network: uploads wait for it, and the page says so. */
  protected readonly online = inject(OnlineStatus).online;
  /** What a row says once its photo exists, full copy or not yet. */
  protected readonly shownLabel = computed(() => (this.settings()?.approvalRequired ? '✓ Sent, waiting for the host' : '✓ On the wall'));

  /**
   * Photos the button would send: picked (or failed) and not refused for their size. Photos on
   * their way keep going meanwhile, so photos picked later can follow at once.
   */
  protected readonly waitingCount = computed(
    () => this.queue.pending().filter((i) => (i.status() === 'ready' || i.status() === 'failed') && i.tooLarge() === null).length,
  );
  protected readonly canUpload = computed(
    () => this.waitingCount() > 0 && !this.authorTooLong() && !this.queue.anyCaptionTooLong(),
  );
  protected readonly overallPercent = computed(() => {
    const total = this.queue.totalBytes();
    return total === 0 ? 0 : Math.round((100 * this.queue.confirmedBytes()) / total);
  });

  constructor() {
    // Connect now so a pause message shows before the guest picks anything.
    this.realtime.connect();
    void this.takeShared();
  }

  /**
   * Photos shared from the gallery (the service worker's share target) join the queue like picked
   * ones, waiting for a caption and a tap. Read on every start: a share whose page never opened is
   * not lost. The ?shared=1 the worker redirected with goes, so a reload does not look for more.
   */
  private async takeShared(): Promise<void> {
    const files = await takeSharedFiles();
    if (files.length) this.queue.add(files);
    if (this.route.snapshot.queryParamMap.has('shared')) {
      await this.router.navigate([], { relativeTo: this.route, queryParams: { shared: null }, queryParamsHandling: 'merge', replaceUrl: true });
    }
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
    this.queue.start(this.author().trim());
  }

  protected addMore(): void {
    this.queue.clearDone();
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
    return (status === 'ready' || status === 'failed') && item.stage() === 'new' ? item.tooLarge() : null;
  }

  /** The caption can change until the photo is sent (a caption is edited on My photos afterwards). */
  protected editable(item: UploadItem): boolean {
    const status = item.status();
    return (status === 'ready' || status === 'failed') && item.stage() === 'new';
  }

  /** Sending, preparing or waiting for a lane: what the phone is doing right now for this row. */
  protected active(item: UploadItem): boolean {
    const status = item.status();
    return status === 'queued' || status === 'preparing' || status === 'uploading';
  }

  /** Both parts' bytes: the bar keeps moving while the full-quality copy follows the preview. */
  protected percent(item: UploadItem): number {
    const size = item.uploadSize();
    return size === 0 ? 0 : Math.round((100 * item.confirmedBytes()) / size);
  }
}
