/** The host's console in MongoDB: the moderation grid and the counts beside it. */
import type { Filter } from 'mongodb';
import type { HostPhotoQuery, PhotoCounts, PhotoRecord } from '../types';
import type { Collections, PhotoDoc } from './collections';
import { literal, photosWhere } from './photo-docs';

const HOST_STATES = new Set(['visible', 'pending', 'hidden']);

export async function listForHost(c: Collections, query: HostPhotoQuery): Promise<PhotoRecord[]> {
  const states = [...new Set(query.states)].filter((s) => HOST_STATES.has(s));
  const limit = Math.floor(query.limit);
  if (states.length === 0 || !(limit > 0)) return [];
  const and: Filter<PhotoDoc>[] = [{ state: { $in: states } }];
  if (query.search !== '') {
    // Folded like the stored fold (JavaScript's toLowerCase, Unicode-aware), matched literally.
    const pattern = literal(query.search.toLowerCase());
    and.push({ $or: [{ 'fold.caption': { $regex: pattern } }, { 'fold.author': { $regex: pattern } }] });
  }
  if (query.guest !== null) {
    const guest = await c.guests.findOne({ number: query.guest });
    if (!guest) return [];
    and.push({ ownerId: guest._id });
  }
  if (query.after !== null) {
    const { createdAt, id } = query.after;
    and.push({ $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }] });
  }
  return photosWhere(c, { $and: and }, { sort: { createdAt: -1, _id: -1 }, limit });
}

export async function photoCounts(c: Collections): Promise<PhotoCounts> {
  const live = { state: { $ne: 'removed' as const } };
  // One accumulator per $group: FerretDB v1 computes only the first of several.
  const [byState, bytes, owners] = await Promise.all([
    c.photos.aggregate<{ _id: string; n: number }>([{ $match: live }, { $group: { _id: '$state', n: { $sum: 1 } } }]).toArray(),
    c.photos.aggregate<{ _id: null; bytes: number }>([{ $match: live }, { $group: { _id: null, bytes: { $sum: '$bytes' } } }]).toArray(),
    c.photos.distinct('ownerId', live),
  ]);
  const count = (state: string) => byState.find((s) => s._id === state)?.n ?? 0;
  return {
    visible: count('visible'),
    pending: count('pending'),
    hidden: count('hidden'),
    guests: owners.length,
    bytes: bytes[0]?.bytes ?? 0,
  };
}
