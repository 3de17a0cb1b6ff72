import { DestroyRef, Injectable, inject } from '@angular/core';
import { ErrorCode, WALL_PAGE_LIMIT, type WallSnapshot } from '@photobook/shared';
import { RealtimeService } from '../core/realtime.service';
import { WALL_CLOCK } from './wall-clock';
import type { WallWindow } from './wall-window';

const JOIN_RETRY_MS = 3_000;
/** A broadcast lost on the way (Redis down for a moment) is healed by asking for changes this often. */
export const CATCH_UP_MS = 60_000;
const PAGE_TIMEOUT_MS = 10_000;
/** After a failed page (or a server without wall:page) the wall keeps showing what it has and asks again later. */
const PAGE_RETRY_MS = 15_000;
const PAGE_RETRY_MAX_MS = 10 * 60_000;
/** A whole sweep of pages brought nothing new: no use asking again soon. */
const IDLE_SWEEP_MS = 5 * 60_000;

/** Told after every change the feed made to the window, with the ids that left the stage. */
export type FeedListener = (leftStage: readonly string[]) => void;

/**
 * The wall's connection to the photo feed: a snapshot on join, live additions, changes and
 * removals, a catch-up from the last position known to be complete on every reconnect, every
 * minute and when the server says its feed resumed, and older pages on request. It writes into a
 * WallWindow; the show reads from it.
 */
@Injectable()
export class WallFeed {
  private readonly realtime = inject(RealtimeService);
  private readonly clock = inject(WALL_CLOCK);
  private readonly destroyRef = inject(DestroyRef);
  /**
   * Highest seq up to which we hold everything: the position a snapshot or catch-up answered with.
   * Live events never move it. With several server replicas, seq 42 can arrive live before 41 is
   * even stored; a wall that advanced to 42 and then reconnected would skip 41 for good. The
   * server's answer is a position no change can still appear below.
   */
  private syncedSeq: number | null = null;
  private joined = false;
  private joining = false;
  private everJoined = false;
  /** Bumped on every (re)connect so a stale join reply or retry from an older connection is ignored. */
  private connection = 0;
  private retryTimer: (() => void) | undefined;
  private page = { inFlight: false, retryAt: -Infinity, failures: 0, sweepGain: 0 };

  readonly connected = this.realtime.connected;

  start(window: WallWindow, changed: FeedListener): void {
    const live = (leftStage: readonly string[] = []) => changed(leftStage);
    const catchUp = () => {
      if (this.joined && this.realtime.connected()) void this.join(window, changed, this.connection, false);
    };
    const subscriptions = [
      this.realtime.connects$.subscribe(() => void this.join(window, changed, ++this.connection, true)),
      this.realtime.disconnects$.subscribe(() => {
        this.joined = false;
        this.retryTimer?.();
      }),
      this.realtime.photoAdded$.subscribe((photo) => {
        window.applyAdded(photo);
        live();
      }),
      this.realtime.photoUpdated$.subscribe((photo) => {
        window.applyUpdated(photo);
        live();
      }),
      this.realtime.photoRemoved$.subscribe((removed) => {
        live(window.applyRemoved(removed));
      }),
      // The replicas' link is back: broadcasts from the gap are lost, so ask now rather than within the minute.
      this.realtime.feedResumed$.subscribe(catchUp),
    ];
    const stopCatchUp = this.clock.every(CATCH_UP_MS, catchUp);
    this.destroyRef.onDestroy(() => {
      this.retryTimer?.();
      stopCatchUp();
      for (const subscription of subscriptions) subscription.unsubscribe();
    });
  }

  /** Fetches the next older page when the window wants one (called on the show's tick). */
  maybeFetchPage(window: WallWindow, changed: FeedListener): void {
    const now = this.clock.now();
    if (!this.joined || this.page.inFlight || now < this.page.retryAt || !window.wantsPage()) return;
    void this.fetchPage(window, changed);
  }

  /** Joins (reconnect: true) or asks for changes on a joined connection (the periodic catch-up). */
  private async join(window: WallWindow, changed: FeedListener, connection: number, reconnect: boolean): Promise<void> {
    if (!reconnect && this.joining) return;
    if (reconnect) this.joined = false;
    this.joining = true;
    const sinceSeq = this.syncedSeq;
    const result = await this.realtime.request('wall:join', { sinceSeq });
    if (connection !== this.connection) return;
    this.joining = false;
    if (!result.ok) {
      if (!reconnect) return; // the next catch-up tries again
      // Still connected but refused or timed out: try again rather than stay silently stale.
      this.retryTimer?.();
      this.retryTimer = this.clock.after(JOIN_RETRY_MS, () => {
        if (connection === this.connection && this.realtime.connected()) void this.join(window, changed, connection, true);
      });
      return;
    }
    const snapshot: WallSnapshot = result.value;
    // An older server says nothing of `full`: a join from scratch is always the whole window.
    const full = typeof snapshot.full === 'boolean' ? snapshot.full : sinceSeq === null;
    const left = window.applySnapshot(snapshot, full, !this.everJoined);
    this.everJoined = true;
    this.advance(snapshot.seq);
    this.joined = true;
    changed(left);
  }

  private async fetchPage(window: WallWindow, changed: FeedListener): Promise<void> {
    const asked = window.nextPage();
    this.page.inFlight = true;
    const result = await this.realtime.request('wall:page', { cursor: asked.cursor, limit: WALL_PAGE_LIMIT }, PAGE_TIMEOUT_MS);
    this.page.inFlight = false;
    const now = this.clock.now();
    if (!result.ok) {
      this.page.failures++;
      this.page.retryAt = now + Math.min(PAGE_RETRY_MAX_MS, PAGE_RETRY_MS * 2 ** (this.page.failures - 1));
      // A cursor the server no longer knows: start the sweep again from the newest page.
      if (result.error.code === ErrorCode.BadRequest && asked.cursor !== null) window.restartSweep();
      return;
    }
    this.page.failures = 0;
    this.page.sweepGain += window.applyPage(result.value, asked);
    if (window.sweepStart) {
      if (this.page.sweepGain === 0) this.page.retryAt = now + IDLE_SWEEP_MS;
      this.page.sweepGain = 0;
    }
    changed([]);
  }

  private advance(seq: number): void {
    if (Number.isFinite(seq)) this.syncedSeq = Math.max(this.syncedSeq ?? 0, seq);
  }
}
