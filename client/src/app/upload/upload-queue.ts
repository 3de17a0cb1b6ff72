import { DestroyRef, Injectable, computed, inject, signal, type WritableSignal } from '@angular/core';
import { ErrorCode, MAX_CAPTION_GRAPHEMES, exceedsGraphemes } from '@photobook/shared';
import { messageFor, messageForCode } from '../core/error-messages';
import { newClientUploadId } from './client-upload-id';
import { UploadService } from './upload.service';

export type ItemStatus = 'ready' | 'uploading' | 'done' | 'failed';

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
  controller: AbortController | null;
}

const HEIC = /\.(heic|heif)$/i;

/** The photos a guest picked and their upload state. Provided per upload page. */
@Injectable()
export class UploadQueue {
  private readonly uploads = inject(UploadService);
  private readonly list = signal<readonly UploadItem[]>([]);
  private readonly runningState = signal(false);

  readonly items = this.list.asReadonly();
  readonly running = this.runningState.asReadonly();
  readonly pending = computed(() => this.list().filter((i) => i.status() !== 'done'));
  readonly doneCount = computed(() => this.list().filter((i) => i.status() === 'done').length);
  readonly allDone = computed(() => this.list().length > 0 && this.pending().length === 0);
  readonly totalBytes = computed(() => this.list().reduce((sum, i) => sum + i.file.size, 0));
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

  /** Uploads every waiting or failed photo, one at a time, including photos added meanwhile. */
  async start(author: string): Promise<void> {
    if (this.runningState()) return;
    for (const item of this.list()) {
      if (item.status() === 'failed' && !isHeic(item.file)) item.status.set('ready');
    }
    this.runningState.set(true);
    try {
      let next: UploadItem | undefined;
      while ((next = this.list().find((i) => i.status() === 'ready' && !captionTooLong(i.caption())))) {
        await this.run(next, author);
      }
    } finally {
      this.runningState.set(false);
    }
  }

  private async run(item: UploadItem, author: string): Promise<void> {
    item.status.set('uploading');
    item.error.set(null);
    const controller = new AbortController();
    item.controller = controller;
    const outcome = await this.uploads.upload(
      {
        file: item.file,
        name: item.file.name,
        clientUploadId: item.clientUploadId,
        caption: item.caption(),
        author,
      },
      {
        onProgress: (bytes) => item.confirmedBytes.set(bytes),
        onRetrying: (retrying) => item.retrying.set(retrying),
      },
      controller.signal,
    );
    item.controller = null;
    item.retrying.set(false);
    switch (outcome.kind) {
      case 'done':
        item.confirmedBytes.set(item.file.size);
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
