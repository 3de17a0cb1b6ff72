/**
 * Writes to a photo document, its jobs' leases included, one writer at a time. Each write is a
 * compare-and-set on the rev it read, which MongoDB applies atomically. FerretDB v1 applies an
 * update as read, modify, write of the whole document with nothing to stop another update in
 * between: two writers that read the same rev both match it, and the later one puts back the
 * document it read without the other's change, even after the other has read its own write back
 * (of 100 hides raced against an edit, 20 to 45 lost one of the two). Inserts against a
 * unique _id are atomic on both, so the writer of rev n+1 first takes that right (`<id>@<n+1>`),
 * writes and gives it back. While the photo is at rev n only the right's holder can write it; one
 * that read rev n and takes the right once it is given back finds the rev moved on.
 */
import type { Collection, Filter, UpdateFilter } from 'mongodb';
import type { Collections, PhotoDoc } from './collections';
import { isDuplicateKey } from './mongo-errors';

/** Attempts before giving up (each lost one means another writer just changed the photo). */
export const MAX_ATTEMPTS = 20;
/**
 * A right held longer belongs to a writer that died between taking it and giving it back (a write
 * takes milliseconds). The photo waits that long, so it is short; a writer that took longer anyway
 * finds the rev moved on when its write reaches the server.
 */
export const RIGHT_GRACE_MS = 15_000;
/** Longest pause between two looks at a right someone holds. */
const POLL_MS = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A document written one rev at a time (a photo, a photo book). */
export interface Revised {
  readonly _id: string;
  readonly rev: number;
}

/**
 * Where revised documents of one kind live, and how their rights are named: a photo's right is
 * `<id>@<rev>`; other kinds put their own prefix before it, so no two documents share a right.
 */
export interface RevisedKind<T extends Revised> {
  readonly docs: Collection<T>;
  readonly rights: Collections['rights'];
  readonly prefix: string;
}

const photosOf = (c: Collections): RevisedKind<PhotoDoc> => ({ docs: c.photos, rights: c.rights, prefix: '' });

/**
 * `update` on the photo as it was `read`, if it is still at that rev and matches `filter`, with the
 * next rev: the photo after it, or null when something changed it since (read it again).
 */
export function writePhoto(
  c: Collections,
  read: Pick<PhotoDoc, '_id' | 'rev'>,
  filter: Filter<PhotoDoc>,
  update: UpdateFilter<PhotoDoc>,
): Promise<PhotoDoc | null> {
  return writeRevised(photosOf(c), read, filter, update);
}

/** writePhoto for a document of any revised kind. */
export async function writeRevised<T extends Revised>(
  kind: RevisedKind<T>,
  read: Pick<T, '_id' | 'rev'>,
  filter: Filter<T>,
  update: UpdateFilter<T>,
): Promise<T | null> {
  const rev = read.rev + 1;
  const right = `${kind.prefix}${read._id}@${rev}`;
  if (!(await take(kind, read, right))) return null;
  try {
    const set = { ...(update.$set as object | undefined), rev };
    return (await kind.docs.findOneAndUpdate({ ...filter, _id: read._id, rev: read.rev } as Filter<T>, { ...update, $set: set } as UpdateFilter<T>, {
      returnDocument: 'after',
    })) as T | null;
  } finally {
    await kind.rights.deleteOne({ _id: right }).catch(() => undefined);
  }
}

/**
 * Takes the right, waiting while its holder writes. False once the document has moved past `read`:
 * the write would match nothing (and a right left behind after its write, its holder gone, is no wait).
 */
async function take<T extends Revised>(kind: RevisedKind<T>, read: Pick<T, '_id' | 'rev'>, right: string): Promise<boolean> {
  for (let look = 1; ; look++) {
    try {
      await kind.rights.insertOne({ _id: right, at: Date.now() });
      return true;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
    const [held, now] = await Promise.all([
      kind.rights.findOne({ _id: right }),
      kind.docs.findOne({ _id: read._id } as Filter<T>, { projection: { rev: 1 } }),
    ]);
    if (now?.rev !== read.rev) return false;
    if (held && Date.now() - held.at > RIGHT_GRACE_MS) await kind.rights.deleteOne({ _id: right, at: held.at });
    else await sleep(Math.random() * Math.min(POLL_MS, 2 * look));
  }
}

/** `update` on the photo `filter` finds, found again when another write got in first; null once none matches. */
export function writeWhere(c: Collections, filter: Filter<PhotoDoc>, update: UpdateFilter<PhotoDoc>): Promise<PhotoDoc | null> {
  return writeRevisedWhere(photosOf(c), filter, update);
}

export async function writeRevisedWhere<T extends Revised>(kind: RevisedKind<T>, filter: Filter<T>, update: UpdateFilter<T>): Promise<T | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const doc = (await kind.docs.findOne(filter, { projection: { rev: 1 } })) as Pick<T, '_id' | 'rev'> | null;
    if (!doc) return null;
    const after = await writeRevised(kind, doc, filter, update);
    if (after) return after;
  }
  throw new Error(`the ${kind.docs.collectionName} document kept changing under a burst of writes`);
}
