import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { PhotoDto, PhotoRemovedDto } from '@photobook/shared';
import { RealtimeService } from '../core/realtime.service';
import { mergePhotos, removePhotos } from './merge-photos';

const JOIN_RETRY_MS = 3_000;
/** Departures remembered so a stale copy (a join reply racing a live removal) cannot bring a photo back. */
const MAX_DEPARTURES = 1_000;

/**
 * The wall's view of the photo feed: a snapshot on join, then live additions, changes and
 * removals, and on every reconnect a catch-up from the last position known to be complete.
 */
@Injectable()
export class WallFeed {
  private readonly realtime = inject(RealtimeService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly photosState = signal<readonly PhotoDto[]>([]);
  /**
   * Highest seq up to which we hold everything. Only a snapshot or a live event on a joined
   * connection moves it: an event seen without a successful join could hide a gap before it.
   */
  private syncedSeq: number | null = null;
  private joined = false;
  /** Bumped on every (re)connect so a stale join reply or retry from an older connection is ignored. */
  private connection = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** id -> seq at which the photo left; only a newer version of it may come back. */
  private readonly departures = new Map<string, number>();

  readonly photos = this.photosState.asReadonly();
  readonly connected = this.realtime.connected;

  start(): void {
    const subscriptions = [
      this.realtime.connects$.subscribe(() => void this.join(++this.connection)),
      this.realtime.disconnects$.subscribe(() => {
        this.joined = false;
        clearTimeout(this.retryTimer);
      }),
      this.realtime.photoAdded$.subscribe((photo) => this.live(photo.seq, [photo], [])),
      this.realtime.photoUpdated$.subscribe((photo) => this.live(photo.seq, [photo], [])),
      this.realtime.photoRemoved$.subscribe((removed) => this.live(removed.seq, [], [removed])),
    ];
    this.destroyRef.onDestroy(() => {
      clearTimeout(this.retryTimer);
      for (const subscription of subscriptions) subscription.unsubscribe();
    });
  }

  private async join(connection: number): Promise<void> {
    this.joined = false;
    const result = await this.realtime.request('wall:join', { sinceSeq: this.syncedSeq });
    if (connection !== this.connection) return;
    if (!result.ok) {
      // Still connected but refused or timed out: try again rather than stay silently stale.
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => {
        if (connection === this.connection && this.realtime.connected()) void this.join(connection);
      }, JOIN_RETRY_MS);
      return;
    }
    const { photos, removed = [], seq } = result.value;
    // The snapshot only says these left by its own seq; a live event since may already know better.
    this.apply(photos, removed.map((id) => ({ id, seq })));
    this.advance(Math.max(seq, ...photos.map((p) => p.seq)));
    this.joined = true;
  }

  private live(seq: number, photos: readonly PhotoDto[], removed: readonly PhotoRemovedDto[]): void {
    this.apply(photos, removed);
    if (this.joined) this.advance(seq);
  }

  private apply(photos: readonly PhotoDto[], removed: readonly PhotoRemovedDto[]): void {
    for (const { id, seq } of removed) this.depart(id, seq);
    const arriving = photos.filter((p) => p.seq > (this.departures.get(p.id) ?? -Infinity));
    for (const photo of arriving) this.departures.delete(photo.id);
    this.photosState.update((current) => mergePhotos(removePhotos(current, removed), arriving));
  }

  private depart(id: string, seq: number): void {
    if ((this.departures.get(id) ?? -Infinity) >= seq) return;
    this.departures.delete(id);
    this.departures.set(id, seq);
    const oldest = this.departures.keys().next();
    if (this.departures.size > MAX_DEPARTURES && !oldest.done) this.departures.delete(oldest.value);
  }

  private advance(seq: number): void {
    if (Number.isFinite(seq)) this.syncedSeq = Math.max(this.syncedSeq ?? 0, seq);
  }
}
