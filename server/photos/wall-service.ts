import { ErrorCode, WALL_PAGE_LIMIT, WALL_SNAPSHOT_LIMIT, err, ok, type Result, type WallPage, type WallSnapshot } from '@photobook/shared';
import type { ModerationStore, PhotoStore } from '../store/types';
import { toPhotoDto } from './dto';
import { parsePhotoCursor, photoCursor, type PhotoCursor } from './photo-cursor';

/** Beyond this many missed changes a rejoining wall gets a fresh snapshot instead. */
export const WALL_CATCH_UP_LIMIT = 500;

const bad = <T>(message: string) => err<T>(ErrorCode.BadRequest, message);

export function parseWallPage(input: unknown): Result<{ readonly after: PhotoCursor | null; readonly limit: number }> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return bad('The page request must be an object.');
  const request = input as Record<string, unknown>;
  const limit = request['limit'];
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > WALL_PAGE_LIMIT) {
    return bad(`limit must be a whole number from 1 to ${WALL_PAGE_LIMIT}.`);
  }
  const after = parsePhotoCursor(request['cursor'] ?? null);
  if (after === undefined) return bad('cursor must be null or the next cursor of the previous page.');
  return ok({ after, limit });
}

export class WallService {
  constructor(private readonly store: PhotoStore & ModerationStore) {}

  /**
   * Reads the feed position first, so every change newer than it is in the answer or arrives live.
   * A rejoin gets what changed: photos on the wall now (added or edited) and ids that left it.
   */
  async snapshot(sinceSeq: number | null, limit = WALL_SNAPSHOT_LIMIT): Promise<Result<WallSnapshot>> {
    const seq = await this.store.currentSeq();
    if (sinceSeq !== null) {
      const changes = await this.store.changesSince(sinceSeq, WALL_CATCH_UP_LIMIT);
      if (changes.length < WALL_CATCH_UP_LIMIT) {
        const shown = changes.filter((p) => p.state === 'visible');
        const removed = changes.filter((p) => p.state !== 'visible').map((p) => p.id);
        // Changes made after the head was read are in the list too: the answer's seq covers them, so
        // a wall stamps each departure with a seq no older than the removal itself.
        const covered = Math.max(seq, ...changes.map((p) => p.seq));
        return ok({ photos: shown.reverse().map(toPhotoDto), removed, seq: covered, full: false, total: await this.total() });
      }
    }
    const photos = await this.store.listPhotos(limit);
    return ok({ photos: photos.map(toPhotoDto), removed: [], seq, full: true, total: await this.total() });
  }

  /**
   * Older photos for a wall that cycles through the whole event. One more than asked is read, so the
   * last page says so (next: null) instead of leaving the wall to ask for an empty one.
   */
  async page(input: unknown): Promise<Result<WallPage>> {
    const request = parseWallPage(input);
    if (!request.ok) return request;
    const { after, limit } = request.value;
    const records = await this.store.listForHost({ states: ['visible'], search: '', guest: null, after, limit: limit + 1 });
    const photos = records.slice(0, limit);
    const last = photos.at(-1);
    const next = records.length > limit && last ? photoCursor(last) : null;
    return ok({ photos: photos.map(toPhotoDto), next });
  }

  private async total(): Promise<number> {
    return this.store.countVisible();
  }
}
