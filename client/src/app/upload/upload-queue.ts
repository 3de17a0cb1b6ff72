import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import {
  DEFAULT_DOWNSCALE_ABOVE_BYTES,
  DEFAULT_DOWNSCALE_MAX_EDGE,
  ErrorCode,
  MAX_CAPTION_GRAPHEMES,
  exceedsGraphemes,
  type UploadPart,
} from '@photobook/shared';
import { messageFor, messageForCode, tooLargeMessage } from '../core/error-messages';
import { RealtimeService } from '../core/realtime.service';
import { canRetry } from './core/chunk-window';
import { newClientUploadId } from './client-upload-id';
import { DOWNSCALER, mayDownscale, type DownscaleOptions } from './downscale';
import { PendingStore } from './pending-store';
import { PREVIEW_MAKER, previewFor } from './preview';
import { partsSize, pickedItem, restoredItem, toPending, type ItemStatus, type PreparedUpload, type UploadItem } from './upload-item';
import { LEAVING, UploadService, type UploadOutcome } from './upload.service';

export type { ItemStage, ItemStatus, UploadItem } from './upload-item';

/** Photos sent at once: two keeps the link busy while one waits for an ack or a decode. */
export const PARALLEL_UPLOADS = 2;

const HEIC = /\.(heic|heif)$/i;
/** When the server refuses an original for another reason than ORIGINAL_MISMATCH (it has its own sentence). */
const FULL_COPY_REFUSED = 'The full-quality copy couldn’t be saved, so the wall keeps the photo as it is.';
const ACTIVE: ReadonlySet<ItemStatus> = new Set(['queued', 'preparing', 'uploading']);

/**
 * The photos a guest picked and their upload state, kept in IndexedDB from the tap on Upload until
 * the full copy is saved, so a later visit resumes them. Provided per upload page.
 */
@Injectable()
export class UploadQueue {
  private readonly uploads = inject(UploadService);
  private readonly realtime = inject(RealtimeService);
  private readonly downscale = inject(DOWNSCALER);
  private readonly makePreview = inject(PREVIEW_MAKER);
  private readonly store = inject(PendingStore);
  private readonly list = signal<readonly UploadItem[]>([]);
  /** Rows with a part on its way (or being prepared): at most PARALLEL_UPLOADS. */
  private readonly busy = new Set<UploadItem>();
  private destroyed = false;

  readonly items = this.list.asReadonly();
  /** Something is on its way, or waits for its turn. */
  readonly running = computed(() => this.list().some((i) => ACTIVE.has(i.status())));
  /** Send smaller copies of very large photos (the host sets the threshold). */
  readonly smallerCopies = signal(true);
  readonly pending = computed(() => this.list().filter((i) => i.status() !== 'done'));
  readonly doneCount = computed(() => this.list().filter((i) => i.status() === 'done').length);
  readonly allDone = computed(() => this.list().length > 0 && this.pending().length === 0);
  /** Photos the server made (on the wall, or waiting for the host's OK), full copy or not yet. */
  readonly shownCount = computed(() => this.list().filter((i) => i.stage() !== 'new').length);
  readonly allShown = computed(() => this.list().length > 0 && this.shownCount() === this.list().length);
  /** Full-quality copies still to send after their preview. */
  readonly originalsLeft = computed(() => this.list().filter((i) => i.stage() === 'shown').length);
  /** Rows from an earlier visit still on their way. */
  readonly restoredLeft = computed(() => this.list().filter((i) => i.restored && ACTIVE.has(i.status())).length);
  /** Photos refused for their size are not on their way, so they do not hold the overall bar back. */
  readonly totalBytes = computed(() =>
    this.list().reduce((sum, i) => (i.status() === 'done' || i.tooLarge() === null ? sum + i.uploadSize() : sum), 0),
  );
  readonly paused = computed(() => this.list().some((i) => i.pausedMessage() !== null));
  readonly waitingForRoom = computed(() => this.list().some((i) => i.waitingForRoom()));
  readonly confirmedBytes = computed(() => this.list().reduce((sum, i) => sum + i.confirmedBytes(), 0));
  readonly anyCaptionTooLong = computed(() => this.pending().some((i) => captionTooLong(i.caption())));

  private readonly sizeCheck = (file: File, preparedSize: number | null) => this.tooLargeMessage(file, preparedSize);

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      // The server keeps what it holds and IndexedDB what is left: the next visit resumes.
      for (const item of this.list()) this.release(item, LEAVING);
    });
    void this.restore();
  }

  add(files: Iterable<File>): void {
    const added: UploadItem[] = [];
    for (const file of files) {
      const item = pickedItem(file, newClientUploadId(), this.sizeCheck);
      // HEIC slips through when a guest picks "all files"; say so now instead of after the upload.
      if (isHeic(file)) {
        item.status.set('failed');
        item.error.set(messageForCode(ErrorCode.HeicUnsupported));
      }
      added.push(item);
    }
    this.list.update((list) => [...list, ...added]);
  }

  /** Cancels an upload in progress (the service then tells the server) and forgets the photo. */
  remove(item: UploadItem): void {
    this.release(item);
    this.list.update((list) => list.filter((i) => i !== item));
    void this.store.delete(item.clientUploadId);
  }

  /** Forgets the finished rows; full-quality copies still on their way keep going. */
  clearDone(): void {
    const done = this.list().filter((i) => i.status() === 'done');
    for (const item of done) this.release(item);
    this.list.update((list) => list.filter((i) => !done.includes(i)));
  }

  /** Sends every waiting or failed photo with the guest's name; photos picked later wait for the next tap. */
  start(author: string): void {
    for (const item of this.list()) {
      const status = item.status();
      if (status !== 'ready' && status !== 'failed') continue;
      if (isHeic(item.file) || captionTooLong(item.caption()) || item.tooLarge() !== null) continue;
      if (item.stage() === 'new') item.author = author; // an original repeats its preview's name
      item.error.set(null);
      item.status.set('queued');
      void this.store.save(toPending(item));
    }
    this.pump();
  }

  private async restore(): Promise<void> {
    const pending = await this.store.list();
    if (this.destroyed || pending.length === 0) return;
    const known = new Set(this.list().map((i) => i.clientUploadId));
    const restored = pending.filter((p) => !known.has(p.clientUploadId)).map((p) => restoredItem(p, this.sizeCheck));
    this.list.update((list) => [...restored, ...list]);
    this.pump();
  }

  /**
   * What puts photos on the wall fastest over party Wi-Fi: every photo's first part (its preview, or
   * the photo whole) goes before any original, two at a time. An original starts only when nothing
   * else is on its way, one at a time, so a photo picked meanwhile finds a free lane at once and
   * shares the link with one original at most.
   */
  private pump(): void {
    for (let next = this.nextTask(); next && !this.destroyed && this.busy.size < PARALLEL_UPLOADS; next = this.nextTask()) {
      const item = next;
      this.busy.add(item);
      void this.run(item).finally(() => {
        this.busy.delete(item);
        this.pump();
      });
    }
  }

  private nextTask(): UploadItem | undefined {
    const queued = this.list().filter((i) => i.status() === 'queued' && !this.busy.has(i));
    return queued.find((i) => i.stage() === 'new') ?? (this.busy.size === 0 ? queued.find((i) => i.stage() === 'shown') : undefined);
  }

  private downscaleOptions(): DownscaleOptions {
    if (!this.smallerCopies()) return { aboveBytes: null, maxEdge: DEFAULT_DOWNSCALE_MAX_EDGE };
    const settings = this.realtime.settings();
    return settings
      ? { aboveBytes: settings.downscaleAboveBytes, maxEdge: settings.downscaleMaxEdge }
      : { aboveBytes: DEFAULT_DOWNSCALE_ABOVE_BYTES, maxEdge: DEFAULT_DOWNSCALE_MAX_EDGE };
  }

  /** Compared with what will be sent: the copy once made, the original when no copy will be tried. */
  private tooLargeMessage(file: File, preparedSize: number | null): string | null {
    const max = this.realtime.settings()?.maxUploadBytes;
    if (typeof max !== 'number') return null; // no settings yet: the server decides
    const size = preparedSize ?? (mayDownscale(file, this.downscaleOptions()) ? null : file.size);
    return size !== null && size > max ? tooLargeMessage(size, max) : null;
  }

  /** The smaller copy (when the host asks for one), then the preview made from it. */
  private async prepare(file: File): Promise<PreparedUpload> {
    const original = await this.downscale(file, this.downscaleOptions());
    return { original, preview: await previewFor(original.blob, this.makePreview) };
  }

  /** Sends the row's next part: its preview or the photo whole, or else its original. */
  private async run(item: UploadItem): Promise<void> {
    const controller = new AbortController();
    item.controller = controller;
    if (!item.prepared) {
      item.status.set('preparing');
      const prepared = await this.prepare(item.file);
      if (controller.signal.aborted) return;
      item.prepared = prepared;
      item.preparedSize.set(prepared.original.blob.size);
      item.uploadSize.set(partsSize(prepared));
      // From now on a resume sends exactly these bytes.
      void this.store.save(toPending(item));
    }
    if (item.stage() === 'new' && item.tooLarge() !== null) {
      // Even the smaller copy is over the host's limit: it waits here with its message, unsent.
      item.controller = null;
      item.status.set('ready');
      void this.store.delete(item.clientUploadId);
      return;
    }
    const { original, preview } = item.prepared;
    const part: UploadPart = item.stage() === 'shown' ? 'original' : preview ? 'preview' : 'whole';
    const sent = part === 'original' ? (preview?.size ?? 0) : 0;
    item.status.set('uploading');
    const outcome = await this.uploads.upload(
      {
        file: part === 'preview' ? preview! : original.blob,
        name: original.name,
        clientUploadId: item.clientUploadId,
        caption: item.caption(),
        author: item.author,
        part,
      },
      {
        onProgress: (bytes) => item.confirmedBytes.set(sent + bytes),
        onRetrying: (retrying) => item.retrying.set(retrying),
        onPaused: (message) => item.pausedMessage.set(message),
        onStorageFull: (waiting) => item.waitingForRoom.set(waiting),
      },
      controller.signal,
    );
    item.controller = null;
    item.retrying.set(false);
    item.pausedMessage.set(null);
    item.waitingForRoom.set(false);
    this.settle(item, part, outcome);
  }

  private settle(item: UploadItem, part: UploadPart, outcome: UploadOutcome): void {
    if (outcome.kind === 'cancelled') return; // removed, or the page went away
    if (outcome.kind === 'done' && part === 'preview') {
      // On the wall: the original follows once every other photo's preview is out.
      item.stage.set('shown');
      item.confirmedBytes.set(item.prepared?.preview?.size ?? 0);
      item.status.set('queued');
      void this.store.setStage(item.clientUploadId, 'shown');
      return;
    }
    if (outcome.kind === 'done') {
      item.stage.set('saved');
      item.confirmedBytes.set(item.uploadSize());
      item.status.set('done');
      void this.store.delete(item.clientUploadId);
      return;
    }
    const retryable = canRetry(outcome.error.code);
    if (part === 'original' && !retryable) {
      // The photo is on the wall and stays there: only its full copy is missing. No red failure.
      item.stage.set('previewOnly');
      item.note.set(outcome.error.code === ErrorCode.OriginalMismatch ? messageFor(outcome.error) : FULL_COPY_REFUSED);
      item.status.set('done');
    } else {
      item.status.set('failed');
      item.error.set(messageFor(outcome.error));
    }
    // A failure of the server or the network is kept for the next tap or visit; the photo's own is final.
    if (!retryable) void this.store.delete(item.clientUploadId);
  }

  private release(item: UploadItem, reason?: unknown): void {
    item.controller?.abort(reason);
    item.controller = null;
    URL.revokeObjectURL(item.previewUrl);
  }
}

export function captionTooLong(caption: string): boolean {
  return exceedsGraphemes(caption, MAX_CAPTION_GRAPHEMES);
}

function isHeic(file: File): boolean {
  return file.type === 'image/heic' || file.type === 'image/heif' || HEIC.test(file.name);
}
