import { DestroyRef, Injectable, computed, inject, signal, type Signal, type WritableSignal } from '@angular/core';
import {
  DEFAULT_DOWNSCALE_ABOVE_BYTES,
  DEFAULT_DOWNSCALE_MAX_EDGE,
  ErrorCode,
  MAX_CAPTION_GRAPHEMES,
  exceedsGraphemes,
} from '@photobook/shared';
import { messageFor, messageForCode, tooLargeMessage } from '../core/error-messages';
import { RealtimeService } from '../core/realtime.service';
import { newClientUploadId } from './client-upload-id';
import { DOWNSCALER, mayDownscale, type DownscaleOptions, type PreparedFile } from './downscale';
import { UploadService } from './upload.service';

export type ItemStatus = 'ready' | 'preparing' | 'uploading' | 'done' | 'failed';

/** Photos sent at once: two keeps the link busy while one waits for an ack or a decode. */
export const PARALLEL_UPLOADS = 2;

export interface UploadItem {
  /** Doubles as the track key; kept across retries so the server resumes the same upload. */
  readonly clientUploadId: string;
  readonly file: File;
  readonly previewUrl: string;
  readonly caption: WritableSignal<string>;
  readonly status: WritableSignal<ItemStatus>;
  readonly confirmedBytes: WritableSignal<number>;
  readonly error: WritableSignal<string | null>;
  readonly retrying: WritableSignal<boolean>;
  /** The host's words while uploads are paused and this photo waits. */
  readonly pausedMessage: WritableSignal<string | null>;
  /** The server's storage is full: the photo waits on the phone until the host makes room. */
  readonly waitingForRoom: WritableSignal<boolean>;
  /** Bytes that will be sent: the original or its smaller copy. */
  readonly uploadSize: WritableSignal<number>;
  /** Bytes of the prepared copy once it is made; null before. */
  readonly preparedSize: WritableSignal<number | null>;
  /**
   * Why the phone will not send this photo: bigger than the host accepts, after any smaller copy.
   * Live: it clears when the host raises the limit, and it stays null while the size is not known.
   */
  readonly tooLarge: Signal<string | null>;
  /**
   * The exact bytes sent, fixed on the first attempt: a retry must resume with the same bytes the
   * server already holds part of, never a fresh re-encode.
   */
  prepared: PreparedFile | null;
  controller: AbortController | null;
}

const HEIC = /\.(heic|heif)$/i;

/** The photos a guest picked and their upload state. Provided per upload page. */
@Injectable()
export class UploadQueue {
  private readonly uploads = inject(UploadService);
  private readonly realtime = inject(RealtimeService);
  private readonly downscale = inject(DOWNSCALER);
  private readonly list = signal<readonly UploadItem[]>([]);
  private readonly runningState = signal(false);

  readonly items = this.list.asReadonly();
  readonly running = this.runningState.asReadonly();
  /** Send smaller copies of very large photos (the host sets the threshold). */
  readonly smallerCopies = signal(true);
  readonly pending = computed(() => this.list().filter((i) => i.status() !== 'done'));
  readonly doneCount = computed(() => this.list().filter((i) => i.status() === 'done').length);
  readonly allDone = computed(() => this.list().length > 0 && this.pending().length === 0);
  /** Photos refused for their size are not on their way, so they do not hold the overall bar back. */
  readonly totalBytes = computed(() =>
    this.list().reduce((sum, i) => (i.status() === 'done' || i.tooLarge() === null ? sum + i.uploadSize() : sum), 0),
  );
  readonly paused = computed(() => this.list().some((i) => i.pausedMessage() !== null));
  readonly waitingForRoom = computed(() => this.list().some((i) => i.waitingForRoom()));
  readonly confirmedBytes = computed(() => this.list().reduce((sum, i) => sum + i.confirmedBytes(), 0));
  readonly anyCaptionTooLong = computed(() => this.pending().some((i) => captionTooLong(i.caption())));

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      for (const item of this.list()) this.release(item);
    });
  }

  add(files: Iterable<File>): void {
    const added: UploadItem[] = [];
    for (const file of files) {
      const preparedSize = signal<number | null>(null);
      const item: UploadItem = {
        clientUploadId: newClientUploadId(),
        file,
        previewUrl: URL.createObjectURL(file),
        caption: signal(''),
        status: signal('ready'),
        confirmedBytes: signal(0),
        error: signal(null),
        retrying: signal(false),
        pausedMessage: signal(null),
        waitingForRoom: signal(false),
        uploadSize: signal(file.size),
        preparedSize,
        tooLarge: computed(() => this.tooLargeMessage(file, preparedSize())),
        prepared: null,
        controller: null,
      };
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
  }

  clear(): void {
    for (const item of this.list()) this.release(item);
    this.list.set([]);
  }

  /** Uploads every waiting or failed photo, two at a time, including photos added meanwhile. */
  async start(author: string): Promise<void> {
    if (this.runningState()) return;
    for (const item of this.list()) {
      if (item.status() === 'failed' && !isHeic(item.file)) item.status.set('ready');
    }
    this.runningState.set(true);
    const worker = async () => {
      let next: UploadItem | undefined;
      while ((next = this.list().find(sendable))) {
        await this.run(next, author);
      }
    };
    try {
      await Promise.all(Array.from({ length: PARALLEL_UPLOADS }, worker));
    } finally {
      this.runningState.set(false);
    }
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

  private async run(item: UploadItem, author: string): Promise<void> {
    item.status.set('preparing');
    item.error.set(null);
    const controller = new AbortController();
    item.controller = controller;
    if (!item.prepared) {
      item.prepared = await this.downscale(item.file, this.downscaleOptions());
      item.uploadSize.set(item.prepared.blob.size);
      item.preparedSize.set(item.prepared.blob.size);
    }
    if (controller.signal.aborted) return;
    if (item.tooLarge() !== null) {
      // Even the smaller copy is over the host's limit: it waits here with its message, unsent.
      item.controller = null;
      item.status.set('ready');
      return;
    }
    item.status.set('uploading');
    const outcome = await this.uploads.upload(
      {
        file: item.prepared.blob,
        name: item.prepared.name,
        clientUploadId: item.clientUploadId,
        caption: item.caption(),
        author,
      },
      {
        onProgress: (bytes) => item.confirmedBytes.set(bytes),
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
    switch (outcome.kind) {
      case 'done':
        item.confirmedBytes.set(item.uploadSize());
        item.status.set('done');
        break;
      case 'failed':
        item.status.set('failed');
        item.error.set(messageFor(outcome.error));
        break;
      case 'cancelled':
        break; // already removed from the list
    }
  }

  private release(item: UploadItem): void {
    item.controller?.abort();
    item.controller = null;
    URL.revokeObjectURL(item.previewUrl);
  }
}

/** Waiting, with a caption within the limit and a size the host accepts (as far as known yet). */
function sendable(item: UploadItem): boolean {
  return item.status() === 'ready' && !captionTooLong(item.caption()) && item.tooLarge() === null;
}

export function captionTooLong(caption: string): boolean {
  return exceedsGraphemes(caption, MAX_CAPTION_GRAPHEMES);
}

function isHeic(file: File): boolean {
  return file.type === 'image/heic' || file.type === 'image/heif' || HEIC.test(file.name);
}
