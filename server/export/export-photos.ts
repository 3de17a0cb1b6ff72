import type { PhotoRecord, PhotoStore, VariantRecord } from '../store/types';
import type { ExportCopy } from './manifest';

export type ExportStore = PhotoStore;

/** One photo on its way into the ZIP: which copy, and its bytes, already opened. */
export interface ExportPhoto {
  readonly photo: PhotoRecord;
  readonly copy: ExportCopy;
  readonly variant: VariantRecord;
  /** Close it (return()) if it is not read to the end, or its file stays open. */
  readonly body: AsyncIterableIterator<Uint8Array>;
}

/** Photos per query: enough to keep the store's round trips few, few enough that memory stays flat. */
export const EXPORT_PAGE = 100;

/**
 * Every visible photo once, oldest change first, a page at a time. A photo changed while the export
 * runs moves to a later seq and shows up again: it is only taken once.
 */
export async function* visiblePhotos(store: ExportStore, pageSize = EXPORT_PAGE): AsyncGenerator<PhotoRecord> {
  const taken = new Set<string>();
  for (let seq = 0; ; ) {
    const page = await store.changesSince(seq, pageSize);
    const last = page.at(-1);
    if (!last) return;
    for (const photo of page) {
      if (photo.state !== 'visible' || taken.has(photo.id)) continue;
      taken.add(photo.id);
      yield photo;
    }
    seq = last.seq;
  }
}

/**
 * The archive copy; until the archive job made it, or when the full copy never came (only the phone's
 * preview did), the display image. Never the source: it still has GPS.
 */
function copyOf(photo: PhotoRecord): { copy: ExportCopy; variant: VariantRecord } | null {
  const original = photo.variants.find((v) => v.kind === 'original');
  if (original) return { copy: 'original', variant: original };
  const display = photo.variants.find((v) => v.kind === 'display');
  const archiving = photo.variants.some((v) => v.kind === 'source');
  return display ? { copy: archiving ? 'display' : 'preview', variant: display } : null;
}

/**
 * `first`, then the rest of `rest` up to `bytes` in all: a content-addressed file never changes, so
 * the store is not asked for the empty read that would only say "end" (a fresh piece buffer each
 * time). return() closes `rest`, even before the first read.
 */
function sized(first: Uint8Array, rest: AsyncIterator<Uint8Array>, bytes: number): AsyncIterableIterator<Uint8Array> {
  let given = 0;
  const close = async (): Promise<IteratorResult<Uint8Array>> => {
    await rest.return?.();
    return { value: undefined, done: true };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: async () => {
      if (given === 0) {
        given = first.byteLength;
        return { value: first, done: false };
      }
      if (given >= bytes) return close();
      const piece = await rest.next();
      if (!piece.done) given += piece.value.byteLength;
      return piece;
    },
    return: close,
  };
}

/**
 * The photos with their bytes opened. A photo removed since its page was read has no variant or no
 * file any more: it is left out rather than written as an empty entry.
 */
export async function* exportPhotos(store: ExportStore, pageSize = EXPORT_PAGE): AsyncGenerator<ExportPhoto> {
  for await (const photo of visiblePhotos(store, pageSize)) {
    const chosen = copyOf(photo);
    const read = chosen && (await store.readVariant(photo.id, chosen.variant.kind));
    if (!chosen || !read) continue;
    const pieces = read.body[Symbol.asyncIterator]();
    const first = await pieces.next();
    if (first.done) continue;
    yield { photo, ...chosen, body: sized(first.value, pieces, chosen.variant.bytes) };
  }
}
