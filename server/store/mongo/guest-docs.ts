/**
 * Guest alias numbers without a transaction. The owner is claimed first (one insert: the unique _id
 * lets exactly one writer number it), then takes the next number by inserting it (number docs are
 * never deleted, so a number is never handed out twice, even after a recovery retires one). A claim
 * whose writer died before numbering it is numbered by the next photo of that owner or the sweep.
 */
import type { GuestInfo, PhotoRecord } from '../types';
import type { Collections } from './collections';
import { isDuplicateKey } from './mongo-errors';

/** A claim older than this is taken over (its writer is gone). */
const CLAIM_STALE_MS = 5_000;
const WAIT_STEP_MS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function nextNumber(c: Collections, ownerId: string): Promise<number> {
  for (;;) {
    const top = await c.numbers.find({}, { sort: { _id: -1 }, limit: 1, projection: { _id: 1 } }).next();
    const number = (top?._id ?? 0) + 1;
    try {
      await c.numbers.insertOne({ _id: number, ownerId });
      return number;
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }
}

/** The owner's alias is its own fact: given (once) after the photo, and on a retried commit too. */
export async function withGuest(c: Collections, photo: PhotoRecord): Promise<PhotoRecord> {
  return photo.guest !== 0 ? photo : { ...photo, guest: await ensureGuest(c, photo.ownerId) };
}

/** Gives the owner the next number unless it has one; returns the owner's number. */
export async function ensureGuest(c: Collections, ownerId: string, now: () => number = Date.now): Promise<number> {
  for (let waited = 0; ; waited += WAIT_STEP_MS) {
    const existing = await c.guests.findOne({ _id: ownerId });
    if (existing?.number) return existing.number;
    let claimed = false;
    if (!existing) {
      try {
        await c.guests.insertOne({ _id: ownerId, number: null, at: now() });
        claimed = true;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
    } else if (now() - existing.at > CLAIM_STALE_MS) {
      claimed = (await c.guests.updateOne({ _id: ownerId, number: null, at: existing.at }, { $set: { at: now() } })).matchedCount === 1;
    }
    if (claimed) {
      const number = await nextNumber(c, ownerId);
      await c.guests.updateOne({ _id: ownerId, number: null }, { $set: { number } });
      const numbered = await c.guests.findOne({ _id: ownerId });
      if (numbered?.number) return numbered.number;
    }
    // Another writer is numbering this owner (a guest's burst of photos): wait for it.
    await sleep(WAIT_STEP_MS);
  }
}

/** Numbers owners whose claim was left unnumbered (a crash between the two writes). */
export async function numberClaimedGuests(c: Collections): Promise<void> {
  for (const g of await c.guests.find({ number: null }).toArray()) await ensureGuest(c, g._id);
}

/** A migrated guest keeps its number (and the number stays taken). Idempotent. */
export async function importGuest(c: Collections, ownerId: string, number: number): Promise<void> {
  await c.numbers.updateOne({ _id: number }, { $setOnInsert: { ownerId } }, { upsert: true });
  await c.guests.updateOne({ _id: ownerId }, { $set: { number }, $setOnInsert: { at: 0 } }, { upsert: true });
}

/** Recovery: `to` keeps its number; when it had none it takes `from`'s. `from` has none afterwards. */
export async function handOverGuest(c: Collections, from: string, to: string): Promise<void> {
  const source = await c.guests.findOne({ _id: from });
  if (!source) return;
  const target = await c.guests.findOne({ _id: to });
  if (!target?.number && source.number) {
    await c.guests.updateOne({ _id: to }, { $set: { number: source.number, at: source.at } }, { upsert: true });
  }
  await c.guests.deleteOne({ _id: from });
}

export async function guestsOf(c: Collections, ownerIds: readonly string[]): Promise<Map<string, GuestInfo>> {
  const unique = [...new Set(ownerIds)];
  const found = new Map<string, GuestInfo>();
  if (unique.length === 0) return found;
  const [guests, blocks] = await Promise.all([
    c.guests.find({ _id: { $in: unique }, number: { $ne: null } }).toArray(),
    c.blocks.find({ _id: { $in: unique } }, { projection: { _id: 1 } }).toArray(),
  ]);
  const blocked = new Set(blocks.map((b) => b._id));
  for (const g of guests) found.set(g._id, { number: g.number!, blocked: blocked.has(g._id) });
  return found;
}
