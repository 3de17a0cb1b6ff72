/**
 * Recovery codes, browsers linked to an owner by one, and blocked owners. A recovery is written as
 * facts that each hold alone: the move (from the browser's owner to the code's owner) is recorded
 * first, then the link, then the move is carried out with idempotent writes and forgotten. A crash
 * in between leaves the move on record, and the next recovery or the sweep finishes it.
 */
import type { Collections } from './collections';
import { handOverGuest } from './guest-docs';
import { isDuplicateKey, upsert } from './mongo-errors';
import { writeWhere } from './revisions';

export async function resolveOwner(c: Collections, key: string): Promise<string> {
  return (await c.links.findOne({ _id: key }))?.ownerId ?? key;
}

export async function setRecoveryCode(c: Collections, ownerId: string, codeHash: string, at: number): Promise<void> {
  await upsert(() => c.codes.updateOne({ _id: ownerId }, { $set: { codeHash, createdAt: at } }, { upsert: true }));
}

export async function recoverOwner(c: Collections, browserKey: string, codeHash: string, now: number): Promise<string | null> {
  const code = await c.codes.findOne({ codeHash });
  if (!code) return null;
  const owner = code._id;
  const previous = await resolveOwner(c, browserKey);
  if (previous !== owner) await upsert(() => c.moves.updateOne({ _id: previous }, { $set: { to: owner, at: now } }, { upsert: true }));
  if (browserKey !== owner) await upsert(() => c.links.updateOne({ _id: browserKey }, { $set: { ownerId: owner } }, { upsert: true }));
  if (previous !== owner) await finishMove(c, previous, owner);
  return owner;
}

/** Everything `from` owned goes to `to`; safe to run again at any point. */
export async function finishMove(c: Collections, from: string, to: string): Promise<void> {
  // One photo or upload at a time: one whose client id `to` already has stays where it is.
  const keepOnConflict = (e: unknown) => {
    if (!isDuplicateKey(e)) throw e;
  };
  for (const { _id } of await c.photos.find({ ownerId: from }, { projection: { _id: 1 } }).toArray()) {
    await writeWhere(c, { _id, ownerId: from }, { $set: { ownerId: to } }).catch(keepOnConflict);
  }
  for (const { _id } of await c.uploads.find({ ownerId: from }, { projection: { _id: 1 } }).toArray()) {
    await c.uploads.updateOne({ _id, ownerId: from }, { $set: { ownerId: to } }).catch(keepOnConflict);
  }
  await c.links.updateMany({ ownerId: from }, { $set: { ownerId: to } });
  await c.codes.deleteOne({ _id: from });
  await handOverGuest(c, from, to);
  // A block on the browser follows it, so recovering does not lift the host's block.
  const block = await c.blocks.findOne({ _id: from });
  if (block) {
    await upsert(() => c.blocks.updateOne({ _id: to }, { $setOnInsert: { at: block.at } }, { upsert: true }));
    await c.blocks.deleteOne({ _id: from });
  }
  await c.moves.deleteOne({ _id: from, to });
}

/** Moves a crash left half-done, older than `before`. */
export async function finishMoves(c: Collections, before: number): Promise<void> {
  for (const move of await c.moves.find({ at: { $lt: before } }).toArray()) await finishMove(c, move._id, move.to);
}

export async function blockOwnerOf(c: Collections, photoId: string, at: number): Promise<{ ownerId: string } | null> {
  const photo = await c.photos.findOne({ _id: photoId }, { projection: { ownerId: 1 } });
  if (!photo) return null;
  await upsert(() => c.blocks.updateOne({ _id: photo.ownerId }, { $setOnInsert: { at } }, { upsert: true }));
  return { ownerId: photo.ownerId };
}

export async function unblockOwnerOf(c: Collections, photoId: string): Promise<boolean> {
  const photo = await c.photos.findOne({ _id: photoId }, { projection: { ownerId: 1 } });
  if (!photo) return false;
  await c.blocks.deleteOne({ _id: photo.ownerId });
  return true;
}

export async function isBlocked(c: Collections, ownerId: string): Promise<boolean> {
  return (await c.blocks.findOne({ _id: ownerId }, { projection: { _id: 1 } })) !== null;
}
