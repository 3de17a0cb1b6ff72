import { randomBytes } from 'node:crypto';
import {
  ADMIN_MEDIA_PATH,
  BOOK_PHOTOS_PAGE,
  ErrorCode,
  err,
  ok,
  validateBookRequest,
  type BookCoverPage,
  type BookStatusDto,
  type Result,
} from '@photobook/shared';
import type { Notifier } from '../notifier';
import type { BookStore, MediaFile, PhotoStore } from '../store/types';
import { toBookStatus } from './book-dto';
import { photosInTimeOrder } from './book-photos';
import { slug } from '../export/manifest';

export interface BookServiceDeps {
  readonly store: BookStore & Pick<PhotoStore, 'changesSince' | 'getPhoto' | 'listPhotos'>;
  readonly notifier: Pick<Notifier, 'jobsQueued' | 'bookChanged'>;
  readonly eventTitle: () => Promise<string>;
  readonly now: () => number;
}

/**
 * The host's photo book, as the console asks for it (admin namespace) and downloads it (admin HTTP).
 * One book at a time: a request while one is queued or being made answers BOOK_BUSY (it does not
 * replace it: the host sees its progress and asks again after).
 */
export class BookService {
  constructor(private readonly deps: BookServiceDeps) {}

  async status(): Promise<Result<BookStatusDto>> {
    return ok(toBookStatus(await this.deps.store.books()));
  }

  async request(input: unknown): Promise<Result<BookStatusDto>> {
    const checked = validateBookRequest(input);
    if (!checked.ok) return checked;
    const { store, notifier } = this.deps;
    const options = checked.value;
    if (options.coverPhotoId !== null && (await store.getPhoto(options.coverPhotoId))?.state !== 'visible') {
      return err(ErrorCode.NotFound, 'That cover photo is not on the wall any more: pick another.');
    }
    if ((await store.listPhotos(1)).length === 0) return err(ErrorCode.BookEmpty, 'There are no photos on the wall to print yet.');
    const book = await store.requestBook({ id: randomBytes(12).toString('base64url'), options, createdAt: this.deps.now() });
    if (!book) return err(ErrorCode.BookBusy, 'A photo book is already being made: wait for it to finish.');
    notifier.jobsQueued();
    const books = await store.books();
    notifier.bookChanged(books);
    return ok(toBookStatus(books));
  }

  /** Visible photos in the book's order, a page at a time, for the cover picker. */
  async coverPhotos(input: unknown): Promise<Result<BookCoverPage>> {
    const from = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)['from'] ?? 0 : 0;
    if (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 0) return err(ErrorCode.BadRequest, 'from must be a page position.');
    const photos = await photosInTimeOrder(this.deps.store);
    const page = photos.slice(from, from + BOOK_PHOTOS_PAGE).map((p) => {
      const thumb = p.variants.find((v) => v.kind === 'thumb');
      return { id: p.id, thumbUrl: thumb ? `${ADMIN_MEDIA_PATH}/${thumb.key}` : '', caption: p.caption, author: p.author, createdAt: p.createdAt };
    });
    const next = from + page.length < photos.length ? from + page.length : null;
    return ok({ photos: page, next, total: photos.length });
  }

  /** The ready book's PDF and the name to save it under ("<title>-photo-book.pdf"); null when none is ready. */
  async download(): Promise<{ file: MediaFile; name: string } | null> {
    const { ready } = await this.deps.store.books();
    const file = ready && (await this.deps.store.openBook(ready.id));
    if (!ready || !file) return null;
    const title = ready.options.title ?? (await this.deps.eventTitle());
    return { file, name: `${slug(title) || 'photobook'}-photo-book.pdf` };
  }
}
