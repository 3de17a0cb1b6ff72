/**
 * The cursor of a photo page, newest upload first: `${createdAt}_${id}` of the last photo given.
 * One format for the host's grid and the walls' pages; opaque to clients.
 */
import type { HostPhotoQuery, PhotoRecord } from '../store/types';

const CURSOR = /^(\d{1,16})_([A-Za-z0-9_-]{8,64})$/;

export type PhotoCursor = NonNullable<HostPhotoQuery['after']>;

export function photoCursor(photo: Pick<PhotoRecord, 'createdAt' | 'id'>): string {
  return `${photo.createdAt}_${photo.id}`;
}

/** null stands for the top; undefined for anything that is not a cursor this server handed out. */
export function parsePhotoCursor(cursor: unknown): PhotoCursor | null | undefined {
  if (cursor === null) return null;
  const match = typeof cursor === 'string' ? CURSOR.exec(cursor) : null;
  return match ? { createdAt: Number(match[1]), id: match[2]! } : undefined;
}
