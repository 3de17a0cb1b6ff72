import {
  BOOK_PHOTOS_PAGE,
  ErrorCode,
  err,
  ok,
  type AdminBulkAction,
  type AdminClusterDto,
  type AdminPhotoDto,
  type AdminPhotoQuery,
  type AdminStateDto,
  type AdminStats,
  type BookCoverPage,
  type BookRequest,
  type BookStatusDto,
  type EventSettings,
  type EventSettingsPatch,
  type Result,
} from '@photobook/shared';
import type { AdminRequestName } from '../../core/admin-socket.service';
import { adminPhoto, type FakeAdminSocket } from './fake-admin-socket';

export const DEFAULT_SETTINGS: EventSettings = {
  title: 'Anna & Ben',
  wall: { layout: 'slideshow', slideSeconds: 8, showCaptions: true, showTitle: true, showQr: true, showCount: false },
  maxUploadMb: 25,
  uploadsPerGuest: 6,
  downscaleAboveMb: 8,
  downscaleMaxEdge: 4096,
  shareLinks: true,
  guestDownloads: true,
};

/**
 * Plays the admin namespace in memory, close enough to the contract for page specs: a change feed
 * by seq (removed photos become tombstones), newest-first pages with a cursor, moderation and bulk.
 */
export class FakeAdminServer {
  photos: AdminPhotoDto[] = [];
  seq = 0;
  state: AdminStateDto = {
    uploads: { paused: false, pauseMessage: '', approvalRequired: false },
    settings: DEFAULT_SETTINGS,
    limits: { maxUploadMb: 50, maxUploadsPerGuest: 10 },
  };
  storage = { freeBytes: 40e9, usedBytes: 2.5e9, reserveBytes: 1e9, full: false };
  walls = 2;
  /** One server on its own unless a spec plays replicas. */
  cluster: AdminClusterDto = { redis: 'off', replicas: 1, partial: false };
  /** A spec's own answer for an event; undefined falls through to the fake's behaviour. */
  intercept: ((event: AdminRequestName, payload: any) => unknown) | null = null;
  /** The photo book as the server tells it; pushBook() changes it and tells the console. */
  book: BookStatusDto = { latest: null, ready: null };
  readonly bookRequests: BookRequest[] = [];
  private readonly tombstones = new Map<string, number>();

  constructor(private readonly socket?: FakeAdminSocket) {}

  /** Photos 1..n (seq i), with the given state and guest from a function of i. */
  seed(n: number, make: (i: number) => Partial<AdminPhotoDto> = () => ({})): AdminPhotoDto[] {
    for (let i = 1; i <= n; i++) this.photos.push(adminPhoto(i, make(i)));
    this.seq = Math.max(this.seq, n);
    return this.photos;
  }

  /** Something changed on the server (an upload, another console): a new seq and the push. */
  change(photo: AdminPhotoDto): AdminPhotoDto {
    const next = { ...photo, seq: ++this.seq };
    this.photos = [...this.photos.filter((p) => p.id !== photo.id), next];
    this.socket?.serverEmit('photos:changed', { seq: this.seq });
    return next;
  }

  removeExternally(id: string): void {
    this.remove(id);
    this.socket?.serverEmit('photos:changed', { seq: this.seq });
  }

  readonly handle = (event: AdminRequestName, payload: any): unknown => {
    const intercepted = this.intercept?.(event, payload);
    if (intercepted !== undefined) return intercepted;
    switch (event) {
      case 'admin:state':
        return ok(this.state);
      case 'admin:stats':
        return ok(this.stats());
      case 'admin:photos':
        return ok(this.page(payload as AdminPhotoQuery));
      case 'admin:changes':
        return ok(this.changesSince(payload.sinceSeq));
      case 'admin:moderate':
        return this.moderate(payload.id, payload.state);
      case 'admin:remove':
        this.remove(payload.id);
        return ok(null);
      case 'admin:bulk':
        return ok({ changed: this.bulk(payload.ids, payload.action) });
      case 'admin:block':
      case 'admin:unblock':
        return this.block(payload.id, event === 'admin:block', payload.hide === true);
      case 'admin:pause':
        return ok(this.setUploads({ paused: true, pauseMessage: payload.message }));
      case 'admin:resume':
        return ok(this.setUploads({ paused: false, pauseMessage: '' }));
      case 'admin:approval':
        return ok(this.setUploads({ approvalRequired: payload.required }));
      case 'admin:settings':
        return ok(this.patch(payload as EventSettingsPatch));
      case 'admin:book':
        return this.requestBook(payload as BookRequest);
      case 'admin:book-status':
        return ok(this.book);
      case 'admin:book-photos':
        return ok(this.bookPhotos(payload.from));
    }
  };

  /** The job moved on (progress, ready, failed): the new status, pushed as book:changed. */
  pushBook(status: BookStatusDto): void {
    this.book = status;
    this.socket?.serverEmit('book:changed', status);
  }

  private requestBook(request: BookRequest): Result<BookStatusDto> {
    const state = this.book.latest?.state;
    if (state === 'queued' || state === 'making') return err(ErrorCode.BookBusy, 'A photo book is already being made.');
    if (!this.photos.some((p) => p.state === 'visible')) return err(ErrorCode.BookEmpty, 'No photos.');
    this.bookRequests.push(request);
    const latest = { id: `book${this.bookRequests.length}xxxx`, paper: request.paper, state: 'queued' as const, placed: 0, total: 0, createdAt: Date.now(), finishedAt: null, bytes: null, error: null };
    this.book = { ...this.book, latest };
    return ok(this.book);
  }

  private bookPhotos(from: number): BookCoverPage {
    const visible = this.photos.filter((p) => p.state === 'visible').sort((a, b) => a.createdAt - b.createdAt);
    const photos = visible.slice(from, from + BOOK_PHOTOS_PAGE).map(({ id, thumbUrl, caption, author, createdAt }) => ({ id, thumbUrl, caption, author, createdAt }));
    return { photos, next: from + photos.length < visible.length ? from + photos.length : null, total: visible.length };
  }

  stats(): AdminStats {
    const count = (state: string) => this.photos.filter((p) => p.state === state).length;
    return {
      photos: { visible: count('visible'), pending: count('pending'), hidden: count('hidden') },
      guests: new Set(this.photos.map((p) => p.guest)).size,
      walls: this.walls,
      uploadsOpen: 1,
      storage: this.storage,
      cluster: this.cluster,
    };
  }

  private page(query: AdminPhotoQuery) {
    const search = query.search.toLowerCase();
    const matching = this.photos
      .filter((p) => query.state === 'all' || p.state === query.state)
      .filter((p) => query.guest === null || p.guest === query.guest)
      .filter((p) => !search || `${p.caption}\n${p.author}`.toLowerCase().includes(search))
      .sort((a, b) => b.createdAt - a.createdAt);
    const start = query.cursor === null ? 0 : Number(query.cursor);
    const photos = matching.slice(start, start + query.limit);
    const end = start + photos.length;
    return { photos, next: end < matching.length ? String(end) : null, seq: this.seq };
  }

  private changesSince(sinceSeq: number) {
    const photos = this.photos.filter((p) => p.seq > sinceSeq);
    const removed = [...this.tombstones].filter(([, seq]) => seq > sinceSeq).map(([id]) => id);
    return { photos, removed, seq: this.seq };
  }

  private moderate(id: string, state: AdminPhotoDto['state']): Result<AdminPhotoDto> {
    const photo = this.photos.find((p) => p.id === id);
    if (!photo) return err(ErrorCode.NotFound, 'No such photo.');
    return ok(this.update(photo, { state }));
  }

  private update(photo: AdminPhotoDto, changes: Partial<AdminPhotoDto>): AdminPhotoDto {
    const next = { ...photo, ...changes, seq: ++this.seq };
    this.photos = this.photos.map((p) => (p.id === photo.id ? next : p));
    return next;
  }

  private remove(id: string): void {
    if (!this.photos.some((p) => p.id === id)) return;
    this.photos = this.photos.filter((p) => p.id !== id);
    this.tombstones.set(id, ++this.seq);
  }

  private bulk(ids: readonly string[], action: AdminBulkAction): number {
    let changed = 0;
    for (const id of ids) {
      const photo = this.photos.find((p) => p.id === id);
      if (!photo) continue;
      changed++;
      if (action === 'remove') this.remove(id);
      else this.update(photo, { state: action });
    }
    return changed;
  }

  private block(id: string, blocked: boolean, hide: boolean): Result<unknown> {
    const photo = this.photos.find((p) => p.id === id);
    if (!photo) return err(ErrorCode.NotFound, 'No such photo.');
    let hidden = 0;
    for (const p of this.photos.filter((q) => q.guest === photo.guest)) {
      const hideThis = blocked && hide && p.state !== 'hidden';
      if (hideThis) hidden++;
      this.update(p, { guestBlocked: blocked, ...(hideThis ? { state: 'hidden' as const } : {}) });
    }
    return blocked ? ok({ hidden }) : ok(null);
  }

  private setUploads(changes: Partial<AdminStateDto['uploads']>): AdminStateDto {
    this.state = { ...this.state, uploads: { ...this.state.uploads, ...changes } };
    return this.state;
  }

  private patch(patch: EventSettingsPatch): AdminStateDto {
    const settings = this.state.settings;
    const wall = { ...settings.wall, ...patch.wall };
    this.state = { ...this.state, settings: { ...settings, ...patch, wall } };
    return this.state;
  }
}
