import type { BookDto, BookStatusDto } from '@photobook/shared';
import type { BookRecord } from '../store/types';

/** What the console sees of a book: no file key (the download has its own admin-only path). */
export function toBookDto(book: BookRecord): BookDto {
  const { id, state, placed, total, createdAt, finishedAt, bytes, error } = book;
  return { id, paper: book.options.paper, state, placed, total, createdAt, finishedAt, bytes, error };
}

export function toBookStatus(books: { readonly latest: BookRecord | null; readonly ready: BookRecord | null }): BookStatusDto {
  return { latest: books.latest ? toBookDto(books.latest) : null, ready: books.ready ? toBookDto(books.ready) : null };
}
