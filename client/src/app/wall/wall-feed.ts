import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import type { PhotoDto } from '@photobook/shared';
import { RealtimeService } from '../core/realtime.service';
import { mergePhotos } from './merge-photos';

const JOIN_RETRY_MS = 3_000;

/**
 * The wall's view of the photo feed: a snapshot on join, then live additions, and on every
 * reconnect a catch-up from the last position known to be complete.
 */
@Injectable()
export class WallFeed {
  private readonly realtime = inject(RealtimeService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly photosState = signal<readonly PhotoDto[]>([]);
  /**
   * Highest seq up to which we hold everything. Only a snapshot or a live photo on a joined
   * connection moves it: a photo seen without a successful join could hide a gap before it.
   */
  private syncedSeq: number | null = null;
  private joined = false;
  /** Bumped on every (re)connect so a stale join reply or retry from an older connection is ignored. */
  private connection = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  readonly photos = this.photosState.asReadonly();
  readonly connected = this.realtime.connected;

  start(): void {
    const subscriptions = [
      this.realtime.connects$.subscribe(() => void this.join(++this.connection)),
      this.realtime.disconnects$.subscribe(() => {
        this.joined = false;
        clearTimeout(this.retryTimer);
      }),
      this.realtime.photoAdded$.subscribe((photo) => this.add(photo)),
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
    const { photos, seq } = result.value;
    this.photosState.update((current) => mergePhotos(current, photos));
    this.advance(Math.max(seq, ...photos.map((p) => p.seq)));
    this.joined = true;
  }

  private add(photo: PhotoDto): void {
    this.photosState.update((current) => mergePhotos(current, [photo]));
    if (this.joined) this.advance(photo.seq);
  }

  private advance(seq: number): void {
    if (Number.isFinite(seq)) this.syncedSeq = Math.max(this.syncedSeq ?? 0, seq);
  }
}
