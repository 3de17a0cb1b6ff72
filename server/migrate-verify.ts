/**
 * The migration's proof: what MongoDB holds after `npm run migrate`, compared with the laptop's
 * snapshot. Counts alone would pass a swapped or truncated image, so every variant's bytes are read
 * back from GridFS and hashed, and every file's hash must also match its content key.
 */
import { createHash } from 'node:crypto';
import type { EventSnapshot } from './store/embedded/event-reader';
import { whatDiffers, type Digest, type StoredEvent, type StoredPhoto } from './store/mongo/event-import';

export interface Row {
  readonly label: string;
  readonly laptop: number | string;
  readonly mongo: number | string;
  readonly ok: boolean;
}

export interface Verification {
  readonly rows: readonly Row[];
  /** One line per difference found, naming the photo, guest or setting. */
  readonly problems: readonly string[];
  readonly ok: boolean;
}

/** Files hashed at once (both sides): GridFS reads are round trips, so a few overlap well. */
const PARALLEL_HASHES = 8;
const STATES = ['visible', 'pending', 'hidden', 'removed'] as const;

export async function verify(event: EventSnapshot, stored: StoredEvent): Promise<Verification> {
  const problems: string[] = [];
  const rows: Row[] = [];
  const count = (list: readonly { state: string }[], state: string) => list.filter((p) => p.state === state).length;
  for (const state of STATES) {
    const [laptop, mongo] = [count(event.photos, state), count(stored.photos, state)];
    rows.push({ label: `photos ${state}`, laptop, mongo, ok: laptop === mongo });
  }
  rows.push(comparePhotos(event, stored, problems));
  rows.push(await compareFiles(event, stored, problems));
  const jobs = (list: readonly { archiveJob: unknown }[]) => list.filter((p) => p.archiveJob !== null).length;
  rows.push({ label: 'archive jobs pending', laptop: jobs(event.photos), mongo: jobs(stored.photos), ok: jobs(event.photos) === jobs(stored.photos) });
  rows.push(compareSets('guest numbers', event.guests.map((g) => `${g.ownerId} = Guest ${g.number}`), stored.guests.map((g) => `${g.ownerId} = Guest ${g.number}`), problems));
  rows.push(compareSets('blocked guests', event.blocks.map((b) => b.ownerId), stored.blocks, problems));
  const code = (c: { ownerId: string; codeHash: string; createdAt: number }) => `${c.ownerId} → code ${c.codeHash.slice(0, 8)}… at ${c.createdAt}`;
  rows.push(compareSets('recovery codes', event.codes.map(code), stored.codes.map(code), problems));
  const link = (l: { browserKey: string; ownerId: string }) => `${l.browserKey} → ${l.ownerId}`;
  rows.push(compareSets('browser links', event.links.map(link), stored.links.map(link), problems));
  rows.push(compareValue('settings', canonical(event.settings), canonical(stored.settings), problems));
  rows.push(compareValue('admin password', event.adminHash, stored.adminHash, problems));
  if (event.cookieSecret !== null) rows.push(compareValue('cookie secret', event.cookieSecret, stored.cookieSecret, problems));
  return { rows, problems, ok: problems.length === 0 && rows.every((r) => r.ok) };
}

/** Same photos, each with the same seq (the walls' order) and the same fields, tombstones included. */
function comparePhotos(event: EventSnapshot, stored: StoredEvent, problems: string[]): Row {
  const held = new Map(stored.photos.map((p) => [p.id, p]));
  const laptopIds = new Set(event.photos.map((p) => p.id));
  let same = 0;
  for (const photo of event.photos) {
    const copy = held.get(photo.id);
    const why = copy ? whatDiffers(copy, photo) : 'missing in MongoDB';
    if (why) problems.push(`photo ${photo.id} (seq ${photo.seq}): ${why}`);
    else same++;
  }
  for (const extra of stored.photos.filter((p) => !laptopIds.has(p.id))) problems.push(`photo ${extra.id} (seq ${extra.seq}) is in MongoDB but not on the laptop`);
  const pairs = (list: readonly { id: string; seq: number }[]) => list.map((p) => `${p.id}:${p.seq}`).sort().join(',');
  const ok = same === event.photos.length && pairs(event.photos) === pairs(stored.photos);
  return { label: 'photos identical (id, seq, …)', laptop: event.photos.length, mongo: same, ok };
}

/** Every variant: the laptop file's hash matches its key, and the GridFS copy's hash matches the laptop's. */
async function compareFiles(event: EventSnapshot, stored: StoredEvent, problems: string[]): Promise<Row> {
  const held = new Map<string, StoredPhoto>(stored.photos.map((p) => [p.id, p]));
  const work = event.photos.flatMap((photo) => photo.variants.map((variant) => ({ photo, variant })));
  let laptopOk = 0;
  let mongoOk = 0;
  await inParallel(work, PARALLEL_HASHES, async ({ photo, variant }) => {
    const where = `photo ${photo.id} ${variant.kind} (${variant.key})`;
    const laptop = await digestOf(variant.body()).catch((e: unknown) => `unreadable: ${(e as Error).message}`);
    const copy = held.get(photo.id)?.variants.find((v) => v.kind === variant.kind && v.key === variant.key);
    const mongo = copy ? copy.digest : 'missing';
    if (typeof laptop === 'string') problems.push(`${where}: the laptop's file ${variant.file} is ${laptop}`);
    else if (!matchesKey(laptop, variant)) problems.push(`${where}: the laptop's file does not match its key (${laptop.bytes} bytes, SHA-256 ${laptop.sha256.slice(0, 12)}…)`);
    else laptopOk++;
    if (typeof mongo === 'string') problems.push(`${where}: the GridFS file is ${mongo}`);
    else if (!matchesKey(mongo, variant)) problems.push(`${where}: the GridFS file differs (${mongo.bytes} bytes, SHA-256 ${mongo.sha256.slice(0, 12)}…)`);
    else mongoOk++;
  });
  return { label: 'files, SHA-256 equal to key', laptop: laptopOk, mongo: mongoOk, ok: laptopOk === work.length && mongoOk === work.length };
}

function matchesKey(digest: Digest, variant: { readonly key: string; readonly bytes: number }): boolean {
  return digest.bytes === variant.bytes && variant.key.startsWith(`${digest.sha256}.`);
}

function compareSets(label: string, laptop: readonly string[], mongo: readonly string[], problems: string[]): Row {
  const [a, b] = [new Set(laptop), new Set(mongo)];
  for (const item of a) if (!b.has(item)) problems.push(`${label}: ${item} is missing in MongoDB`);
  for (const item of b) if (!a.has(item)) problems.push(`${label}: ${item} is in MongoDB but not on the laptop`);
  const ok = a.size === b.size && [...a].every((item) => b.has(item));
  return { label, laptop: a.size, mongo: b.size, ok };
}

function compareValue(label: string, laptop: string | null, mongo: string | null, problems: string[]): Row {
  const ok = laptop === mongo;
  if (!ok) problems.push(`${label}: ${mongo === null ? 'missing in MongoDB' : 'MongoDB holds a different one'}`);
  return { label, laptop: laptop === null ? 'none' : 'set', mongo: mongo === null ? 'none' : ok ? 'same' : 'other', ok };
}

/** JSON with keys sorted at every level: MongoDB gives the event's fields back in another order. */
function canonical(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, inner]) => [k, sorted(inner)]))
      : v;
  return JSON.stringify(sorted(value));
}

async function inParallel<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function digestOf(pieces: AsyncIterable<Uint8Array>): Promise<Digest> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const piece of pieces) {
    hash.update(piece);
    bytes += piece.byteLength;
  }
  return { sha256: hash.digest('hex'), bytes };
}
