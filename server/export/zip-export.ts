/**
 * The host's ZIP of every visible photo, built while it is sent. The only module that imports the
 * ZIP library (archiver).
 */
import { once } from 'node:events';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { ZipArchive } from 'archiver';
import { exportPhotos, type ExportPhoto, type ExportStore } from './export-photos';
import { entryName, manifestCsv, manifestJson, type ManifestRow } from './manifest';

/** Only the manifests are deflated: JPEG and WebP are compressed already, so photos are STOREd. */
const MANIFEST_LEVEL = 6;

const ARCHIVE_BUFFER_BYTES = 64 * 1024;

/** Headers and the central directory come out as many writes of a few bytes; they go on in pieces of about this size. */
const COALESCE_BYTES = 64 * 1024;

function rowOf(item: ExportPhoto, file: string): ManifestRow {
  const { photo, variant } = item;
  return {
    id: photo.id,
    file,
    caption: photo.caption,
    name: photo.author,
    time: new Date(photo.createdAt).toISOString(),
    copy: item.copy,
    width: variant.width,
    height: variant.height,
  };
}

/**
 * Joins the ZIP's small writes, so the response does not send a chunk (and a TCP segment) per
 * 4-byte field; big pieces pass through without a copy. The ZIP never waits on the client for more
 * data, so holding a few small bytes until the next write costs nothing.
 */
function coalesce(): Transform {
  let small: Buffer[] = [];
  let held = 0;
  const release = (push: (b: Buffer) => void) => {
    if (held > 0) push(small.length === 1 ? small[0]! : Buffer.concat(small, held));
    small = [];
    held = 0;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      if (chunk.length >= COALESCE_BYTES) {
        release((b) => this.push(b));
        done(null, chunk);
        return;
      }
      small.push(chunk);
      held += chunk.length;
      if (held >= COALESCE_BYTES) release((b) => this.push(b));
      done();
    },
    flush(done: TransformCallback) {
      release((b) => this.push(b));
      done();
    },
  });
}

/**
 * Appends one photo and waits until the archive took all of it: one entry at a time, so only one
 * file is open and the response's pace (backpressure) sets how fast the store is read.
 */
async function appendPhoto(archive: ZipArchive, item: ExportPhoto, name: string, signal: AbortSignal): Promise<void> {
  // Byte mode, not object mode: the stream then holds one piece ahead, not sixteen.
  const source = Readable.from(item.body, { objectMode: false });
  // The archive pipes the source on without its errors: a failed read ends the whole ZIP, not the process.
  source.on('error', (e) => archive.destroy(e));
  try {
    const taken = once(archive, 'entry', { signal });
    archive.append(source, { name, store: true, date: new Date(item.photo.createdAt) });
    await taken;
  } finally {
    // Aborted (the client went) or failed: returning the store's iterator closes the file.
    if (!source.readableEnded) source.destroy();
    await item.body.return?.();
  }
}

async function fill(archive: ZipArchive, store: ExportStore, signal: AbortSignal): Promise<void> {
  const rows: ManifestRow[] = [];
  for await (const item of exportPhotos(store)) {
    if (signal.aborted) {
      await item.body.return?.();
      return;
    }
    const name = entryName(rows.length + 1, item.photo, item.variant.contentType);
    await appendPhoto(archive, item, name, signal);
    rows.push(rowOf(item, name));
  }
  const deflate = { store: false, date: new Date() };
  archive.append(Readable.from(manifestCsv(rows), { objectMode: false }), { name: 'manifest.csv', ...deflate });
  archive.append(Readable.from(manifestJson(rows), { objectMode: false }), { name: 'manifest.json', ...deflate });
  // Settles only once the last byte is read; a failure is also emitted as the archive's error, seen by the pipe.
  archive.finalize().catch(() => undefined);
}

/**
 * The ZIP as a stream, to pipe to the response: photos/NNNN-....jpg (the archive copy, or the display
 * image while it is not made yet or when only a preview arrived), then manifest.csv and manifest.json.
 * Destroying the stream (the client went away) stops reading the store and closes the open file. A
 * failure destroys it with the error.
 */
export function zipExport(store: ExportStore): Readable {
  // The library buffers 1 MB by default; less in flight means less for a slow client to hold up.
  const archive = new ZipArchive({ highWaterMark: ARCHIVE_BUFFER_BYTES, zlib: { level: MANIFEST_LEVEL } });
  const out = coalesce();
  const stop = new AbortController();
  // The response pipes `out`; whatever ends it early (the client left, an error) stops the archive too.
  out.once('close', () => {
    stop.abort();
    archive.destroy();
  });
  archive.on('error', (e: Error) => out.destroy(e));
  archive.pipe(out);
  fill(archive, store, stop.signal).catch((e: unknown) => {
    if (!stop.signal.aborted) out.destroy(e instanceof Error ? e : new Error(String(e)));
  });
  return out;
}
