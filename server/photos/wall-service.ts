import { ok, type Result, type WallSnapshot } from '@photobook/shared';
import type { PhotoStore } from '../store/types';
import { toPhotoDto } from './dto';

/** How many photos a wall gets when it first joins. */
export const WALL_SNAPSHOT_LIMIT = 200;
/** Beyond this many missed changes a rejoining wall gets a fresh snapshot instead. */
export const WALL_CATCH_UP_LIMIT = 500;

export class WallService {
  constructor(private readonly store: PhotoStore) {}

  /**
   * Reads the feed position first, so every change newer than it is in the answer or arrives live.
   * A rejoin gets what changed: photos on the wall now (added or edited) and ids that left it.
   */
  async snapshot(sinceSeq: number | null): Promise<Result<WallSnapshot>> {
    const seq = await this.store.currentSeq();
    if (sinceSeq !== null) {
      const changes = await this.store.changesSince(sinceSeq, WALL_CATCH_UP_LIMIT);
      if (changes.length < WALL_CATCH_UP_LIMIT) {
        const shown = changes.filter((p) => p.state === 'visible');
        const removed = changes.filter((p) => p.state !== 'visible').map((p) => p.id);
        return ok({ photos: shown.reverse().map(toPhotoDto), removed, seq });
      }
    }
    const photos = await this.store.listPhotos(WALL_SNAPSHOT_LIMIT);
    return ok({ photos: photos.map(toPhotoDto), removed: [], seq });
  }
}
