import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { ADMIN_PAGE_LIMIT, ErrorCode, type AdminPhotoDto, type AdminPhotoPage, type AdminPhotoQuery } from '@photobook/shared';
import { AdminSocketService } from '../core/admin-socket.service';
import type { ClientResult } from '../core/client-result';
import { AdminConsole, adminMessage } from './admin-console';
import { ChangeFollower } from './change-follower';
import { mergeChanges, oldestFirst, upsert, type MergeOptions } from './photo-merge';

/** Far above a party's queue; beyond it the queue shows the oldest this many (and says so). */
export const QUEUE_MAX_PAGES = 20;

type Decision = 'visible' | 'hidden';

interface HistoryEntry {
  readonly kind: Decision | 'skip';
  /** The photo as last acked by the server (its seq guards the undo against stale feed answers). */
  photo: AdminPhotoDto;
  readonly done: Promise<ClientResult<AdminPhotoDto>> | null;
}

const PENDING: MergeOptions = { matches: (p) => p.state === 'pending', order: oldestFirst, complete: true };

/**
 * The approval queue, oldest first: photos are approved in the order they arrived, so nobody's
 * photo waits behind a stream of newer ones (and a guest watching the wall sees theirs in turn).
 * Decisions are optimistic (the next photo shows at once; a refusal puts the photo back); Skip moves
 * a photo to the back for this session; Undo reverts the last decision or skip.
 */
@Injectable()
export class QueueStore {
  private readonly socket = inject(AdminSocketService);
  private readonly console = inject(AdminConsole);
  private readonly pending = signal<readonly AdminPhotoDto[]>([]);
  private readonly skipped = signal<readonly string[]>([]);
  /** Decided here, not yet confirmed by the feed: hidden from the queue meanwhile. */
  private readonly decided = signal<ReadonlySet<string>>(new Set());
  private readonly history = signal<readonly HistoryEntry[]>([]);
  private readonly loadedState = signal(false);
  private readonly loadErrorState = signal<string | null>(null);
  private readonly truncatedState = signal(false);
  private loading = false;
  private readonly follower = new ChangeFollower(
    (sinceSeq) => this.socket.request('admin:changes', { sinceSeq }),
    (changes) => this.pending.set(mergeChanges(this.pending(), changes, PENDING)),
  );

  /** The queue as shown: waiting photos oldest first, skipped ones last in the order skipped. */
  readonly queue = computed(() => {
    const decided = this.decided();
    const skipped = this.skipped();
    const waiting = this.pending().filter((p) => !decided.has(p.id));
    const front = waiting.filter((p) => !skipped.includes(p.id));
    const back = skipped.map((id) => waiting.find((p) => p.id === id)).filter((p): p is AdminPhotoDto => !!p);
    return [...front, ...back];
  });
  readonly current = computed(() => this.queue()[0] ?? null);
  readonly upNext = computed(() => this.queue().slice(1, 9));
  readonly count = computed(() => this.queue().length);
  readonly canUndo = computed(() => this.history().length > 0);
  readonly loaded = this.loadedState.asReadonly();
  readonly loadError = this.loadErrorState.asReadonly();
  readonly truncated = this.truncatedState.asReadonly();

  constructor() {
    const subscriptions = [
      this.socket.photosChanged$.subscribe(({ seq }) => this.follower.notify(seq)),
      this.socket.connects$.subscribe(() => this.follower.catchUp()),
    ];
    inject(DestroyRef).onDestroy(() => subscriptions.forEach((s) => s.unsubscribe()));
  }

  ensureLoaded(): void {
    if (!this.loadedState() && !this.loading) void this.load();
  }

  /** Every waiting photo (pages come newest first; the queue sorts them oldest first). */
  async load(): Promise<void> {
    this.loading = true;
    this.follower.reset(null);
    let photos: AdminPhotoDto[] = [];
    let cursor: string | null = null;
    let seq: number | null = null;
    for (let page = 0; page < QUEUE_MAX_PAGES; page++) {
      const query: AdminPhotoQuery = { state: 'pending', search: '', guest: null, cursor, limit: ADMIN_PAGE_LIMIT };
      const result: ClientResult<AdminPhotoPage> = await this.socket.request('admin:photos', query);
      if (!result.ok) {
        this.loading = false;
        this.loadErrorState.set(adminMessage(result.error));
        return;
      }
      photos = [...photos, ...result.value.photos];
      // The first answer's seq: changes after it are fetched, so nothing between pages is lost.
      seq ??= result.value.seq;
      cursor = result.value.next;
      if (cursor === null) break;
    }
    this.truncatedState.set(cursor !== null);
    const unique = [...new Map(photos.map((p) => [p.id, p])).values()];
    this.pending.set(unique.filter((p) => p.state === 'pending').sort(oldestFirst));
    this.loadErrorState.set(null);
    this.loadedState.set(true);
    this.loading = false;
    this.follower.reset(seq);
  }

  approve(): Promise<void> {
    return this.decide('visible');
  }

  reject(): Promise<void> {
    return this.decide('hidden');
  }

  skip(): void {
    const photo = this.current();
    if (!photo || this.count() < 2) return;
    this.skipped.update((list) => [...list.filter((id) => id !== photo.id), photo.id]);
    this.history.update((list) => [...list.slice(-49), { kind: 'skip', photo, done: null }]);
  }

  async undo(): Promise<void> {
    const entry = this.history().at(-1);
    if (!entry) return;
    this.history.update((list) => list.slice(0, -1));
    if (entry.kind === 'skip') {
      this.skipped.update((list) => list.filter((id) => id !== entry.photo.id));
      return;
    }
    const sent = entry.done ? await entry.done : null;
    if (sent && !sent.ok) return; // it never left the queue
    const id = entry.photo.id;
    // Back in front at once, as the server last knew it (its seq keeps a stale feed answer out).
    this.pending.set(upsert(this.pending(), { ...entry.photo, state: 'pending' }, PENDING));
    this.setDecided(id, false);
    const result = await this.socket.request('admin:moderate', { id, state: 'pending' });
    if (result.ok) {
      this.pending.set(upsert(this.pending(), result.value, PENDING));
    } else {
      this.pending.set(this.pending().filter((p) => p.id !== id));
      this.console.notify(adminMessage(result.error), 'error');
    }
  }

  private async decide(kind: Decision): Promise<void> {
    const photo = this.current();
    if (!photo) return;
    this.setDecided(photo.id, true);
    this.skipped.update((list) => list.filter((id) => id !== photo.id));
    const done = this.socket.request('admin:moderate', { id: photo.id, state: kind });
    const entry: HistoryEntry = { kind, photo, done };
    this.history.update((list) => [...list.slice(-49), entry]);
    const result = await done;
    if (result.ok) {
      entry.photo = result.value;
      this.pending.set(upsert(this.pending(), result.value, PENDING));
      this.setDecided(photo.id, false);
      return;
    }
    this.history.update((list) => list.filter((e) => e !== entry));
    if (result.error.code === ErrorCode.NotFound) {
      this.pending.set(this.pending().filter((p) => p.id !== photo.id));
    } else {
      this.setDecided(photo.id, false);
    }
    this.console.notify(adminMessage(result.error), 'error');
  }

  private setDecided(id: string, on: boolean): void {
    this.decided.update((set) => {
      const next = new Set(set);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }
}
