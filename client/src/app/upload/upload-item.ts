import { computed, signal, type Signal, type WritableSignal } from '@angular/core';
import type { PreparedFile } from './downscale';
import type { PendingUpload } from './pending-store';

/**
 * What the row is doing. ready: picked, waits for the guest to tap Upload; queued: waits for a free
 * lane; done: nothing left to send.
 */
export type ItemStatus = 'ready' | 'queued' | 'preparing' | 'uploading' | 'done' | 'failed';

/**
 * How far the photo got. new: not a photo yet; shown: its preview made the photo (on the wall, or
 * waiting for the host's OK) and the original is still to send; saved: the server holds it in full
 * quality; previewOnly: the server would not take the original (ORIGINAL_MISMATCH), so the photo
 * stays as its preview made it.
 */
export type ItemStage = 'new' | 'shown' | 'saved' | 'previewOnly';

/** The bytes fixed on the first attempt: a retry or a resume sends exactly these again. */
export interface PreparedUpload {
  /** The full copy's source: the picked file, or its smaller copy. */
  readonly original: PreparedFile;
  /** The display-size copy sent first; null: the photo goes whole. */
  readonly preview: Blob | null;
}

export interface UploadItem {
  /** Doubles as the track key; kept across retries and visits so the server resumes the same upload. */
  readonly clientUploadId: string;
  readonly file: File;
  /** The thumbnail's object URL. */
  readonly previewUrl: string;
  readonly caption: WritableSignal<string>;
  readonly status: WritableSignal<ItemStatus>;
  readonly stage: WritableSignal<ItemStage>;
  /** Bytes the server has confirmed, of both parts. */
  readonly confirmedBytes: WritableSignal<number>;
  readonly error: WritableSignal<string | null>;
  /** A gentle word about the full copy when the server would not take it; the photo itself is fine. */
  readonly note: WritableSignal<string | null>;
  readonly retrying: WritableSignal<boolean>;
  /** The host's words while uploads are paused and this photo waits. */
  readonly pausedMessage: WritableSignal<string | null>;
  /** The server's storage is full: the photo waits on the phone until the host makes room. */
  readonly waitingForRoom: WritableSignal<boolean>;
  /** Bytes that will be sent: the preview and the original (or its smaller copy), or the photo whole. */
  readonly uploadSize: WritableSignal<number>;
  /** Bytes of the original (or its smaller copy) once prepared; null before. */
  readonly preparedSize: WritableSignal<number | null>;
  /**
   * Why the phone will not send this photo: bigger than the host accepts, after any smaller copy.
   * Live: it clears when the host raises the limit, and it stays null while the size is not known.
   */
  readonly tooLarge: Signal<string | null>;
  /** Left from an earlier visit (kept in IndexedDB); it resumes by itself. */
  readonly restored: boolean;
  /** When it was picked: restored rows keep their order. */
  readonly addedAt: number;
  /** The name sent, fixed when the guest taps Upload (the original must say the same as its preview). */
  author: string;
  prepared: PreparedUpload | null;
  controller: AbortController | null;
}

/** The host's size limit for a file, given the size of its smaller copy once known. */
export type SizeCheck = (file: File, preparedSize: number | null) => string | null;

interface ItemState {
  readonly clientUploadId: string;
  readonly file: File;
  readonly thumbnail: Blob;
  readonly caption: string;
  readonly author: string;
  readonly status: ItemStatus;
  readonly stage: ItemStage;
  readonly prepared: PreparedUpload | null;
  readonly restored: boolean;
  readonly addedAt: number;
}

function makeItem(state: ItemState, sizeCheck: SizeCheck): UploadItem {
  const { prepared, file } = state;
  const preparedSize = signal<number | null>(prepared ? prepared.original.blob.size : null);
  return {
    clientUploadId: state.clientUploadId,
    file,
    previewUrl: URL.createObjectURL(state.thumbnail),
    caption: signal(state.caption),
    status: signal(state.status),
    stage: signal(state.stage),
    confirmedBytes: signal(state.stage === 'shown' ? (prepared?.preview?.size ?? 0) : 0),
    error: signal(null),
    note: signal(null),
    retrying: signal(false),
    pausedMessage: signal(null),
    waitingForRoom: signal(false),
    uploadSize: signal(prepared ? partsSize(prepared) : file.size),
    preparedSize,
    tooLarge: computed(() => sizeCheck(file, preparedSize())),
    restored: state.restored,
    addedAt: state.addedAt,
    author: state.author,
    prepared,
    controller: null,
  };
}

/** A photo the guest just picked. */
export function pickedItem(file: File, clientUploadId: string, sizeCheck: SizeCheck): UploadItem {
  const state: ItemState = { clientUploadId, file, thumbnail: file, caption: '', author: '', status: 'ready', stage: 'new', prepared: null, restored: false, addedAt: Date.now() };
  return makeItem(state, sizeCheck);
}

/** A photo from an earlier visit, queued to resume where the server says. */
export function restoredItem(pending: PendingUpload, sizeCheck: SizeCheck): UploadItem {
  const blob = pending.file;
  const file = new File([blob], pending.name, { type: blob.type || pending.type });
  const prepared: PreparedUpload | null = pending.prepared && {
    original: { blob, name: pending.prepared.name, downscaled: pending.prepared.downscaled },
    preview: pending.prepared.preview,
  };
  return makeItem(
    {
      clientUploadId: pending.clientUploadId,
      file,
      thumbnail: prepared?.preview ?? blob,
      caption: pending.caption,
      author: pending.author,
      status: 'queued',
      stage: pending.stage,
      prepared,
      restored: true,
      addedAt: pending.addedAt,
    },
    sizeCheck,
  );
}

/** What IndexedDB keeps of a row: once prepared, the prepared bytes stand in for the picked file. */
export function toPending(item: UploadItem): PendingUpload {
  const { prepared } = item;
  return {
    clientUploadId: item.clientUploadId,
    name: item.file.name,
    type: item.file.type,
    caption: item.caption(),
    author: item.author,
    stage: item.stage() === 'shown' ? 'shown' : 'new',
    addedAt: item.addedAt,
    file: prepared?.original.blob ?? item.file,
    prepared: prepared && { name: prepared.original.name, downscaled: prepared.original.downscaled, preview: prepared.preview },
  };
}

/** Bytes of every part that will be sent. */
export function partsSize(prepared: PreparedUpload): number {
  return (prepared.preview?.size ?? 0) + prepared.original.blob.size;
}
