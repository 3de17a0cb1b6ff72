/**
 * What the host's ZIP says about each photo: its file name inside the archive and the manifest rows
 * (CSV for spreadsheets, JSON for scripts). Pure: no I/O, so the rules are tested on their own.
 */

/**
 * Which copy of the photo went into the ZIP: the archive copy; the display image while the archive
 * job has not run yet ('display'); or the display image of a photo whose full copy never arrived, only
 * the phone's preview (UP26: 'preview').
 */
export type ExportCopy = 'original' | 'display' | 'preview';

export interface ManifestRow {
  readonly id: string;
  /** Path inside the ZIP. */
  readonly file: string;
  readonly caption: string;
  /** The name the guest gave (author). */
  readonly name: string;
  /** Upload time, ISO 8601 in UTC. */
  readonly time: string;
  readonly copy: ExportCopy;
  readonly width: number;
  readonly height: number;
}

export const MANIFEST_COLUMNS = ['file', 'caption', 'name', 'time', 'copy', 'width', 'height'] as const;

const EXTENSIONS: Readonly<Record<string, string>> = { 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/png': 'png', 'image/gif': 'gif' };

export function extensionFor(contentType: string): string {
  return EXTENSIONS[contentType] ?? 'bin';
}

const MAX_SLUG_CHARS = 32;

/** The guest's name as a plain ASCII slug for a file name ("Zoë & Ben" -> "zoe-ben"); '' when nothing is left. */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_CHARS)
    .replace(/^-+|-+$/g, '');
}

const two = (n: number) => String(n).padStart(2, '0');

/** 2026-06-14_2115 (UTC), the way a file manager sorts it. */
function stamp(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}_${two(d.getUTCHours())}${two(d.getUTCMinutes())}`;
}

/**
 * photos/0001-2026-06-14_2115-anna.jpg: the running number keeps names unique (and in upload
 * order); the time and the guest's name make them readable.
 */
export function entryName(ordinal: number, photo: { readonly createdAt: number; readonly author: string }, contentType: string): string {
  const name = slug(photo.author);
  return `photos/${String(ordinal).padStart(4, '0')}-${stamp(photo.createdAt)}${name ? `-${name}` : ''}.${extensionFor(contentType)}`;
}

/** photobook-2026-06-14.zip, after the day of the export (UTC). */
export function zipFileName(epochMs: number): string {
  return `photobook-${stamp(epochMs).slice(0, 10)}.zip`;
}

/** A spreadsheet runs a cell that starts like a formula; a leading quote makes it text (OWASP's advice). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: guarded against formulas, then quoted as RFC 4180 says when it holds a quote, comma or line break. */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(cells: readonly (string | number)[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

/** Rows per chunk the manifests are written in: small pieces, never the whole manifest at once. */
const ROWS_PER_PIECE = 200;

/**
 * manifest.csv in pieces. Starts with a UTF-8 byte order mark: without it Excel reads the file as
 * the local code page and garbles accents and emoji.
 */
export function* manifestCsv(rows: readonly ManifestRow[]): Generator<string> {
  yield '\uFEFF' + csvLine(MANIFEST_COLUMNS);
  for (let at = 0; at < rows.length; at += ROWS_PER_PIECE) {
    yield rows
      .slice(at, at + ROWS_PER_PIECE)
      .map((r) => csvLine([r.file, r.caption, r.name, r.time, r.copy, r.width, r.height]))
      .join('');
  }
}

/** manifest.json in pieces: an array of objects with the CSV's fields plus id (text as given: JSON runs nothing). */
export function* manifestJson(rows: readonly ManifestRow[]): Generator<string> {
  yield '[';
  for (let at = 0; at < rows.length; at += ROWS_PER_PIECE) {
    const piece = rows.slice(at, at + ROWS_PER_PIECE).map((r) => '\n  ' + JSON.stringify(r));
    yield (at === 0 ? '' : ',') + piece.join(',');
  }
  yield rows.length === 0 ? ']\n' : '\n]\n';
}
