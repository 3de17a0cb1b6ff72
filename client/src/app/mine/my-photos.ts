import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { ErrorCode, type MyPhotoDto, type PhotoRemovedDto, type PhotoUpdateRequest } from '@photobook/shared';
import type { ClientResult } from '../core/client-result';
import { messageFor, messageForCodeIn } from '../core/error-messages';
import { RealtimeService } from '../core/realtime.service';

/** How long a page-level notice ("Photo deleted.") stays on screen. */
export const NOTICE_MS = 6_000;

type MineEvent = { readonly updated: MyPhotoDto } | { readonly removed: PhotoRemovedDto };

/** Newest upload first; an edit (a new seq) does not move a photo. */
function newestFirst(a: MyPhotoDto, b: MyPhotoDto): number {
  return b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);
}

/**
 * The guest's own photos: listed on every (re)connect (that is also what subscribes this socket to
 * mine:* events) and when the server's feed resumed, then kept live from those events and from this
 * page's own edits and deletes. Provided per page.
 */
@Injectable()
export class MyPhotos {
  private readonly realtime = inject(RealtimeService);
  private readonly list = signal<readonly MyPhotoDto[]>([]);
  private readonly loadedState = signal(false);
  private readonly loadErrorState = signal<string | null>(null);
  private readonly noticeState = signal<string | null>(null);
  /** Deletion is final: a late copy of a deleted photo (a stale list, a late event) never brings it back. */
  private readonly deleted = new Set<string>();
  /** Events since the oldest list still on its way; replayed onto its reply, which may predate them. */
  private sinceListing: MineEvent[] | null = null;
  private listing = 0;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  readonly photos = this.list.asReadonly();
  /** False until the first list arrived: the page shows a placeholder, not an empty state. */
  readonly loaded = this.loadedState.asReadonly();
  readonly loadError = this.loadErrorState.asReadonly();
  readonly notice = this.noticeState.asReadonly();
  readonly connected = this.realtime.connected;
  readonly empty = computed(() => this.loaded() && this.list().length === 0);

  constructor() {
    const destroyRef = inject(DestroyRef);
    const subscriptions = [
      // Room membership does not survive a reconnect; listing again also catches what was missed.
      this.realtime.connects$.subscribe(() => void this.refresh()),
      // The server replicas' link is back: mine:* events from the gap are lost, so list again too.
      this.realtime.feedResumed$.subscribe(() => void this.refresh()),
      this.realtime.mineUpdated$.subscribe((updated) => this.receive({ updated })),
      this.realtime.mineRemoved$.subscribe((removed) => this.receive({ removed })),
    ];
    destroyRef.onDestroy(() => {
      clearTimeout(this.noticeTimer);
      for (const subscription of subscriptions) subscription.unsubscribe();
    });
  }

  /** Asks for the whole list again; the newest request wins. */
  async refresh(): Promise<void> {
    const run = ++this.listing;
    this.sinceListing ??= [];
    const result = await this.realtime.request('mine:list', {});
    if (run !== this.listing) return;
    const missed = this.sinceListing ?? [];
    this.sinceListing = null;
    if (!result.ok) {
      this.loadErrorState.set(messageFor(result.error, 'mine'));
      return;
    }
    this.list.set([...result.value].filter((p) => !this.deleted.has(p.id)).sort(newestFirst));
    for (const event of missed) this.apply(event);
    this.loadErrorState.set(null);
    this.loadedState.set(true);
  }

  /** Saves an edit. NOT_FOUND means the photo is gone (deleted elsewhere): it leaves the list. */
  async update(request: PhotoUpdateRequest): Promise<ClientResult<MyPhotoDto>> {
    const result = await this.realtime.request('photo:update', request);
    if (result.ok) this.apply({ updated: result.value });
    else if (result.error.code === ErrorCode.NotFound) this.drop(request.id, messageForCodeIn(ErrorCode.NotFound, 'mine'));
    return result;
  }

  /** Deletes a photo; one that is already gone counts as deleted. */
  async remove(id: string): Promise<ClientResult<null>> {
    const result = await this.realtime.request('photo:remove', { id });
    if (result.ok) this.drop(id, 'Photo deleted.');
    else if (result.error.code === ErrorCode.NotFound) this.drop(id, messageForCodeIn(ErrorCode.NotFound, 'mine'));
    else return result;
    return { ok: true, value: null };
  }

  /** Takes over the photos of whoever the code belongs to, then lists them with ours. */
  async recover(code: string): Promise<ClientResult<{ readonly photos: number }>> {
    const result = await this.realtime.request('owner:recover', { code });
    if (result.ok) await this.refresh();
    return result;
  }

  announce(message: string): void {
    clearTimeout(this.noticeTimer);
    this.noticeState.set(message);
    this.noticeTimer = setTimeout(() => this.noticeState.set(null), NOTICE_MS);
  }

  private receive(event: MineEvent): void {
    this.sinceListing?.push(event);
    this.apply(event);
  }

  private apply(event: MineEvent): void {
    if ('removed' in event) {
      this.deleted.add(event.removed.id);
      this.list.update((list) => list.filter((p) => p.id !== event.removed.id));
      return;
    }
    const photo = event.updated;
    if (this.deleted.has(photo.id)) return;
    this.list.update((list) => {
      const shown = list.find((p) => p.id === photo.id);
      if (shown && shown.seq >= photo.seq) return list;
      return [...list.filter((p) => p.id !== photo.id), photo].sort(newestFirst);
    });
  }

  private drop(id: string, message: string): void {
    this.apply({ removed: { id, seq: Infinity } });
    this.announce(message);
  }
}
