/**
 * Makes one photo book's PDF into a file: the cover, then the visible photos in time order, page by
 * page. One photo's bytes and its print image are in hand at a time; pages are planned just before
 * they are drawn, from photos checked to be still there, so a photo removed meanwhile is left out.
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ErrorCode } from '@photobook/shared';
import { AppError } from '../errors';
import { collect } from '../store/blob-body';
import type { BookRecord, PhotoRecord, PhotoStore } from '../store/types';
import { BookDocument } from '../print/book-document';
import { PAPER, coverLayout, nextPage, placeSlots, type Size } from '../print/layout';
import { aspectOf, photosInTimeOrder, printCopy } from './book-photos';
import { LeaseLost } from './lease-lost';
import { coverDate, coverTitle } from './cover-text';

export interface BookMakerDeps {
  readonly store: Pick<PhotoStore, 'changesSince' | 'getPhoto' | 'readVariant'>;
  /** Turns a stored image into the print JPEG for a frame (media/print-image.ts). */
  readonly render: (input: Buffer, frame: Size) => Promise<{ data: Buffer }>;
  /** Waits while guests' photos are being processed: the wall comes first. */
  readonly pace: () => Promise<void>;
  /** Saves progress (and keeps the job's lease); false when the job is no longer ours. */
  readonly progress: (placed: number, total: number) => Promise<boolean>;
  readonly eventTitle: () => Promise<string>;
  /** A photo left out because its file could not be read as an image. */
  readonly skipped: (photoId: string, error: unknown) => void;
  readonly now: () => number;
}

/** Progress is saved when this long has passed or this many photos were placed since it last was (and at the start and the end). */
const PROGRESS_MS = 1_000;
const PROGRESS_PHOTOS = 25;
const LOOKAHEAD = 4;

/** Writes the book to `file`; returns its size. Throws BOOK_EMPTY when no photo is visible. */
export async function makeBook(deps: BookMakerDeps, book: BookRecord, file: string): Promise<number> {
  const { store } = deps;
  const { options } = book;
  const queue = await photosInTimeOrder(store);
  if (queue.length === 0) throw new AppError(ErrorCode.BookEmpty, 'There were no photos on the wall to print.');
  let total = queue.length;
  let placed = 0;
  let saved = deps.now();
  let savedAt = 0;
  const save = async (force = false) => {
    if (!force && deps.now() - saved < PROGRESS_MS && placed - savedAt < PROGRESS_PHOTOS) return;
    saved = deps.now();
    savedAt = placed;
    if (!(await deps.progress(placed, total))) throw new LeaseLost('the photo book job was taken over');
  };
  await save(true);

  /** The bytes of a photo's best copy, or null when it is gone. */
  const printed = async (photo: PhotoRecord, frame: Size): Promise<Buffer | null> => {
    await deps.pace();
    const copy = printCopy(photo);
    const read = copy && (await store.readVariant(photo.id, copy.kind));
    if (!read) return null;
    const bytes = await collect(read.body);
    if (bytes.byteLength === 0) return null;
    try {
      return (await deps.render(bytes, frame)).data;
    } catch (e) {
      // One damaged file costs its place in the book, not the book.
      deps.skipped(photo.id, e);
      return null;
    }
  };

  const paper = PAPER[options.paper];
  const title = await coverTitle(options, deps.eventTitle);
  const out = createWriteStream(file, { flags: 'wx' });
  const doc = new BookDocument(paper, out, title);
  try {
    const cover = await coverPhoto(store, options.coverPhotoId, queue);
    const coverAspect = cover ? aspectOf(cover) : null;
    const coverFrame = coverLayout(coverAspect, paper).photo;
    const guests = new Set(queue.map((p) => p.guest || p.author)).size;
    await doc.cover(coverFrame && cover ? { aspect: coverAspect!, load: (frame) => printed(cover, frame) } : null, {
      title,
      date: coverDate(options, queue[0]!.createdAt),
      footnote: `${plural(total, 'photo')} by ${plural(guests, 'guest')}`,
    });

    const ahead: PhotoRecord[] = [];
    for (let page = 0; ; page++) {
      // Checked again just before each page: the host may have removed, hidden or recaptioned a photo meanwhile.
      const kept = await stillVisible(store, ahead);
      total -= ahead.length - kept.length;
      ahead.splice(0, ahead.length, ...kept);
      while (ahead.length < LOOKAHEAD && queue.length > 0) {
        const taken = queue.splice(0, LOOKAHEAD - ahead.length);
        const live = await stillVisible(store, taken);
        total -= taken.length - live.length;
        ahead.push(...live);
      }
      if (ahead.length === 0) break;
      const planned = nextPage(ahead.map(aspectOf), page);
      const photos = ahead.splice(0, planned.count);
      const slots = placeSlots(planned.layout, photos.map(aspectOf), paper);
      await doc.photoPage(
        planned.layout,
        photos.map((photo, i) => ({
          aspect: aspectOf(photo),
          caption: photo.caption,
          author: photo.author,
          load: async () => {
            const jpeg = await printed(photo, slots[i]!.photo);
            if (jpeg) placed++;
            else total--;
            await save();
            return jpeg;
          },
        })),
      );
      await doc.drained();
    }
    await save(true);
    await doc.end();
  } catch (e) {
    out.destroy();
    throw e;
  }
  return (await stat(file)).size;
}

/** The photos among these that are still visible, as they are now (captions edited since included). */
async function stillVisible(store: BookMakerDeps['store'], photos: readonly PhotoRecord[]): Promise<PhotoRecord[]> {
  const now = await Promise.all(photos.map((p) => store.getPhoto(p.id)));
  return now.filter((p): p is PhotoRecord => p !== null && p.state === 'visible');
}

/** The host's pick while it is still visible, else the first photo. */
async function coverPhoto(store: BookMakerDeps['store'], chosen: string | null, photos: readonly PhotoRecord[]): Promise<PhotoRecord | null> {
  if (chosen) {
    const photo = await store.getPhoto(chosen);
    if (photo?.state === 'visible') return photo;
  }
  return (await stillVisible(store, photos.slice(0, 1)))[0] ?? photos[0] ?? null;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}
