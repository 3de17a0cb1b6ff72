import { ErrorCode, err, ok, type PhotoDto, type Result, type WallPage, type WallSnapshot } from '@photobook/shared';
import { FakeSocket, NO_REPLY, photo, type FakeHandler } from '../../../testing/fake-socket';
import { newestFirst } from '../gallery-list';

/**
 * Plays the server's wall feed in memory, as server/photos/wall-service.ts does: a join from scratch
 * gets the newest `snapshotLimit` photos by seq and the total, a rejoin the changes since its seq,
 * pages go newest upload first with a `${createdAt}_${id}` cursor. Changes made with add/edit/remove
 * take the next seq and reach the socket live once it joined (unless `live` is off: a lost broadcast).
 */
export class FakeWallServer {
  seq = 0;
  snapshotLimit = 200;
  /** At most this many photos per page, whatever the client asks (to page small sets). */
  pageLimit = 200;
  catchUpLimit = 500;
  live = true;
  /** Replaces one reply; return undefined to answer normally. */
  intercept: FakeHandler | null = null;
  private readonly photos = new Map<string, PhotoDto>();
  /** Every change in seq order: the photo, or the id that left. */
  private readonly changes: Array<{ seq: number; photo?: PhotoDto; removed?: string }> = [];
  private joined = false;

  constructor(private readonly socket: FakeSocket) {
    socket.handler = this.handle;
  }

  readonly handle: FakeHandler = (event, payload) => {
    const replaced = this.intercept?.(event, payload);
    return replaced !== undefined ? replaced : this.answer(event, payload);
  };

  /** The server's own reply, whatever `intercept` says (for an intercept that delays it). */
  readonly answer: FakeHandler = (event, payload) => {
    if (event === 'wall:join') {
      this.joined = true;
      return this.join(payload.sinceSeq);
    }
    if (event === 'wall:page') return this.page(payload.cursor, payload.limit);
    return NO_REPLY;
  };

  /** Stores photos 1..count (seq and createdAt in that order) without telling anyone. */
  seed(count: number, make: (n: number) => PhotoDto = (n) => photo(n)): PhotoDto[] {
    const made: PhotoDto[] = [];
    for (let n = 1; n <= count; n++) made.push(this.store(make(n)));
    return made;
  }

  /** A new photo on the wall (photo:added). */
  add(overrides: Partial<PhotoDto> = {}): PhotoDto {
    const stored = this.store(photo(this.seq + 1, overrides));
    if (this.live && this.joined) this.socket.serverEmit('photo:added', stored);
    return stored;
  }

  /** An edit, or a photo that came back onto the wall (photo:updated). */
  edit(id: string, change: Partial<PhotoDto>): PhotoDto {
    const current = this.photos.get(id) ?? photo(0, { id });
    const stored = this.store({ ...current, ...change, id });
    if (this.live && this.joined) this.socket.serverEmit('photo:updated', stored);
    return stored;
  }

  /** The photo left the wall (photo:removed). */
  remove(id: string): void {
    const seq = ++this.seq;
    this.photos.delete(id);
    this.changes.push({ seq, removed: id });
    if (this.live && this.joined) this.socket.serverEmit('photo:removed', { id, seq });
  }

  get total(): number {
    return this.photos.size;
  }

  private store(photo: PhotoDto): PhotoDto {
    const stored = { ...photo, seq: ++this.seq };
    this.photos.set(stored.id, stored);
    this.changes.push({ seq: stored.seq, photo: stored });
    return stored;
  }

  private join(sinceSeq: number | null): Result<WallSnapshot> {
    if (sinceSeq !== null) {
      const since = this.changes.filter((c) => c.seq > sinceSeq);
      if (since.length < this.catchUpLimit) {
        const latest = new Map<string, PhotoDto | null>();
        for (const c of since) latest.set(c.photo?.id ?? c.removed!, c.photo && this.photos.get(c.photo.id) === c.photo ? c.photo : null);
        const photos = [...latest.values()].filter((p): p is PhotoDto => p !== null);
        const removed = [...latest.entries()].filter(([, p]) => p === null).map(([id]) => id);
        return ok({ photos, removed, seq: this.seq, full: false, total: this.total });
      }
    }
    const photos = [...this.photos.values()].sort((a, b) => b.seq - a.seq).slice(0, this.snapshotLimit);
    return ok({ photos, removed: [], seq: this.seq, full: true, total: this.total });
  }

  private page(cursor: string | null, limit: number): Result<WallPage> {
    const sorted = [...this.photos.values()].sort(newestFirst);
    let start = 0;
    if (cursor !== null) {
      const match = /^(\d+)_(.+)$/.exec(cursor);
      if (!match) return err(ErrorCode.BadRequest, 'cursor must be null or the next cursor of the previous page.');
      const after = { createdAt: Number(match[1]), id: match[2]! };
      start = sorted.findIndex((p) => newestFirst(p, after) > 0);
      if (start < 0) start = sorted.length;
    }
    const photos = sorted.slice(start, start + Math.min(limit, this.pageLimit));
    const last = photos.at(-1);
    const next = last && start + photos.length < sorted.length ? `${last.createdAt}_${last.id}` : null;
    return ok({ photos, next });
  }
}
