/** Photo documents as the port's records, with each owner's alias number looked up alongside. */
import type { Filter, FindOptions } from 'mongodb';
import type { PhotoRecord, VariantRecord } from '../types';
import type { Collections, PhotoDoc, VariantDoc } from './collections';

function variantRecord(v: VariantDoc): VariantRecord {
  return { kind: v.kind, key: v.key, contentType: v.contentType, width: v.width, height: v.height, bytes: v.bytes };
}

export function photoRecord(doc: PhotoDoc, guest: number): PhotoRecord {
  return {
    id: doc._id,
    seq: doc.seq,
    ownerId: doc.ownerId,
    guest,
    state: doc.state,
    clientUploadId: doc.clientUploadId,
    caption: doc.caption,
    author: doc.author,
    createdAt: doc.createdAt,
    variants: doc.variants.map(variantRecord),
  };
}

/** The alias numbers of these owners (those that have one). */
export async function guestNumbers(c: Collections, ownerIds: readonly string[]): Promise<Map<string, number>> {
  const unique = [...new Set(ownerIds)];
  const found = new Map<string, number>();
  if (unique.length === 0) return found;
  for (const g of await c.guests.find({ _id: { $in: unique } }).toArray()) {
    if (g.number !== null) found.set(g._id, g.number);
  }
  return found;
}

export async function recordsOf(c: Collections, docs: readonly PhotoDoc[]): Promise<PhotoRecord[]> {
  const numbers = await guestNumbers(c, docs.map((d) => d.ownerId));
  return docs.map((d) => photoRecord(d, numbers.get(d.ownerId) ?? 0));
}

export async function recordOf(c: Collections, doc: PhotoDoc): Promise<PhotoRecord> {
  return (await recordsOf(c, [doc]))[0]!;
}

export async function photosWhere(c: Collections, filter: Filter<PhotoDoc>, options: FindOptions = {}): Promise<PhotoRecord[]> {
  return recordsOf(c, await c.photos.find(filter, options).toArray());
}

export async function onePhoto(c: Collections, filter: Filter<PhotoDoc>): Promise<PhotoRecord | null> {
  return (await photosWhere(c, filter, { limit: 1 }))[0] ?? null;
}

/** `$regex` source matching `text` literally (every regex metacharacter escaped). */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
