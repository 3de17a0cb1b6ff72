import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { WALL_PAGE_LIMIT, type PhotoDto, type WallSnapshot } from '@photobook/shared';
import { RealtimeService } from '../core/realtime.service';
import { WALL_CLOCK } from '../wall/wall-clock';
import { GalleryList } from './gallery-list';

const JOIN_RETRY_MS = 3_000;
/** A broadcast lost on the way (Redis down for a moment) is healed by asking for changes this often. */
export const GALLERY_CATCH_UP_MS = 60_000;
const PAGE_TIMEOUT_MS = 10_000;
/** After a failed page the gallery asks again, later each time. */
export const PAGE_RETRY_MS = 3_000;
const PAGE_RETRY_MAX_MS = 60_000;

/**
 * The gallery's connection to the wall's feed: the same room, catch-up and pages as a projector
 * (any guest's socket may join it; the server sends it only what is on the wall). It joins on every
 * (re)connect with the position it knows to be complete, asks for changes every minute and when the
 * server's feed resumed, and fetches older pages when the page asks. Provided per page.
 */
@Injectable()
export class GalleryFeed {
  private readonly realtime = inject(RealtimeService);
  private readonly clock = inject(WALL_CLOCK);
  private readonly list = new GalleryList();
  private readonly shownState = signal<readonly PhotoDto[]>([]);
  private readonly totalState = signal(0);
  private readonly loadedState = signal(false);
  private readonly completeState = signal(false);
  private readonly pageFailedState = signal(false);
  /**
   * The position up to which we hold everything: what a join answered. Live events never move it
   * (with several replicas seq 42 can arrive before 41 is stored; see WallFeed).
   */
  private syncedSeq: number | null = null;
  private joined = false;
  private joining = false;
  private connection = 0;
  private retryJoin: (() => void) | undefined;
  private page = { inFlight: false, retryAt: -Infinity, failures: 0, retryTimer: undefined as (() => void) | undefined };

  /** Newest first: the gap-free run from the newest photo down to the oldest page fetched. */
  readonly photos = this.shownState.asReadonly();
  /** Photos on the wall in all (more than `photos` until every page arrived). */
  readonly total = this.totalState.asReadonly();
  /** False until the first answer: the page shows a placeholder, not the empty state. */
  readonly loaded = this.loadedState.asReadonly();
  /** Older photos wait on the server. */
  readonly hasMore = computed(() => !this.completeState());
  /** The last page failed; the next try is scheduled. */
  readonly pageFailed = this.pageFailedState.asReadonly();
  readonly connected = this.realtime.connected;
  readonly empty = computed(() => this.loaded() && this.total() === 0 && this.photos().length === 0);

  constructor() {
    const catchUp = () => {
      if (this.joined && this.realtime.connected()) void this.join(this.connection, false);
    };
    const subscriptions = [
      this.realtime.connects$.subscribe(() => void this.join(++this.connection, true)),
      this.realtime.disconnects$.subscribe(() => {
        this.joined = false;
        this.retryJoin?.();
      }),
      this.realtime.photoAdded$.subscribe((photo) => this.changed(() => this.list.applyLive(photo, true))),
      this.realtime.photoUpdated$.subscribe((photo) => this.changed(() => this.list.applyLive(photo, false))),
      this.realtime.photoRemoved$.subscribe((removed) => this.changed(() => this.list.applyRemoved(removed))),
      // The replicas' link is back: broadcasts from the gap are lost, so ask now rather than within the minute.
      this.realtime.feedResumed$.subscribe(catchUp),
    ];
    const stopCatchUp = this.clock.every(GALLERY_CATCH_UP_MS, catchUp);
    inject(DestroyRef).onDestroy(() => {
      this.retryJoin?.();
      this.page.retryTimer?.();
      stopCatchUp();
      for (const subscription of subscriptions) subscription.unsubscribe();
    });
  }

  get(id: string): PhotoDto | undefined {
    return this.list.get(id);
  }

  /** Fetches the next older page, unless one is on its way, none is left, or a retry is pending. */
  loadMore(): void {
    const asked = this.list.nextPage();
    if (!asked || !this.joined || this.page.inFlight || this.clock.now() < this.page.retryAt) return;
    void this.fetchPage(asked, this.connection);
  }

  /** Joins (reconnect: true) or asks for changes on a joined connection (the periodic catch-up). */
  private async join(connection: number, reconnect: boolean): Promise<void> {
    if (!reconnect && this.joining) return;
    if (reconnect) this.joined = false;
    this.joining = true;
    const sinceSeq = this.syncedSeq;
    const result = await this.realtime.request('wall:join', { sinceSeq });
    if (connection !== this.connection) return;
    this.joining = false;
    if (!result.ok) {
      if (!reconnect) return; // the next catch-up tries again
      this.retryJoin?.();
      this.retryJoin = this.clock.after(JOIN_RETRY_MS, () => {
        if (connection === this.connection && this.realtime.connected()) void this.join(connection, true);
      });
      return;
    }
    const snapshot: WallSnapshot = result.value;
    const full = typeof snapshot.full === 'boolean' ? snapshot.full : sinceSeq === null;
    this.changed(() => this.list.applySnapshot(snapshot, full));
    if (Number.isFinite(snapshot.seq)) this.syncedSeq = Math.max(this.syncedSeq ?? 0, snapshot.seq);
    this.joined = true;
    // A join that did not bring the whole wall, and no page yet: the newest page makes the first screenful.
    if (this.list.nextPage()?.cursor === null) {
      this.page.retryAt = -Infinity;
      this.loadMore();
    }
    this.settle();
  }

  private async fetchPage(asked: NonNullable<ReturnType<GalleryList['nextPage']>>, connection: number): Promise<void> {
    this.page.inFlight = true;
    const result = await this.realtime.request('wall:page', { cursor: asked.cursor, limit: WALL_PAGE_LIMIT }, PAGE_TIMEOUT_MS);
    this.page.inFlight = false;
    if (!result.ok) {
      this.page.failures++;
      const wait = Math.min(PAGE_RETRY_MAX_MS, PAGE_RETRY_MS * 2 ** (this.page.failures - 1));
      this.page.retryAt = this.clock.now() + wait;
      this.pageFailedState.set(true);
      // Tried again by itself: a guest at the end of the list should not have to scroll to retry.
      this.page.retryTimer?.();
      this.page.retryTimer = this.clock.after(wait, () => this.loadMore());
      this.settle();
      return;
    }
    this.page.failures = 0;
    this.pageFailedState.set(false);
    this.changed(() => this.list.applyPage(result.value, asked));
    // The answer may belong to a list that started over meanwhile (a rejoin): its own first page then.
    if (connection === this.connection && this.list.nextPage()?.cursor === null) this.loadMore();
    this.settle();
  }

  /** Loaded once the first screenful can be shown: the whole wall, or its newest page. */
  private settle(): void {
    if (this.list.complete || this.list.nextPage()?.cursor !== null || this.pageFailedState()) this.loadedState.set(true);
  }

  private changed(apply: () => unknown): void {
    apply();
    this.shownState.set(this.list.shown());
    this.totalState.set(this.list.total);
    this.completeState.set(this.list.complete);
  }
}
