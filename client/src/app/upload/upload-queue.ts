import { DestroyRef, Injectable, computed, inject, signal, type WritableSignal } from '@angular/core';
import {
  DEFAULT_DOWNSCALE_ABOVE_BYTES,
  DEFAULT_DOWNSCALE_MAX_EDGE,
  ErrorCode,
  MAX_CAPTION_GRAPHEMES,
  exceedsGraphemes,
} from '@photobook/shared';
import { messageFor, messageForCode } from '../core/error-messages';
import { RealtimeService } from '../core/realtime.service';
import { newClientUploadId } from './client-upload-id';
import { DOWNSCALER, type DownscaleOptions, type PreparedFile } from './downscale';
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
  readonly totalBytes = computed(() => this.list().reduce((sum, i) => sum + i.uploadSize(), 0));
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
      while ((next = this.list().find((i) => i.status() === 'ready' && !captionTooLong(i.caption())))) {
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

  private async run(item: UploadItem, author: string): Promise<void> {
    item.status.set('preparing');
    item.error.set(null);
    const controller = new AbortController();
    item.controller = controller;
    if (!item.prepared) {
      item.prepared = await this.downscale(item.file, this.downscaleOptions());
      item.uploadSize.set(item.prepared.blob.size);
    }
    if (controller.signal.aborted) return;
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

export function captionTooLong(caption: string): boolean {
  return exceedsGraphemes(caption, MAX_CAPTION_GRAPHEMES);
}

function isHeic(file: File): boolean {
  return file.type === 'image/heic' || file.type === 'image/heif' || HEIC.test(file.name);
}
