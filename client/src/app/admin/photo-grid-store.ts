import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import {
  ADMIN_BULK_LIMIT,
  ADMIN_PAGE_LIMIT,
  ErrorCode,
  type AdminBulkAction,
  type AdminChanges,
  type AdminPhotoDto,
  type AdminStateFilter,
} from '@photobook/shared';
import { AdminSocketService } from '../core/admin-socket.service';
import { AdminConsole, adminMessage } from './admin-console';
import { ChangeFollower } from './change-follower';
import { plural } from './format';
import { appendPage, matchesFilter, mergeChanges, newestFirst, upsert, type MergeOptions, type PhotoFilter } from './photo-merge';
import { Selection } from './selection';

export const SEARCH_DEBOUNCE_MS = 250;

const BULK_DONE: Record<AdminBulkAction, string> = {
  visible: 'on the wall',
  pending: 'back to waiting',
  hidden: 'hidden',
  remove: 'deleted',
};

/**
 * The photos grid's view state: the filter, the loaded pages, the selection and the preview. Kept
 * live from the change feed; a photo whose new state leaves the filter leaves the grid.
 */
@Injectable()
export class PhotoGridStore {
  private readonly socket = inject(AdminSocketService);
  private readonly console = inject(AdminConsole);
  private readonly filterState = signal<PhotoFilter>({ state: 'all', search: '', guest: null });
  private readonly searchTextState = signal('');
  private readonly list = signal<readonly AdminPhotoDto[]>([]);
  private readonly nextCursor = signal<string | null>(null);
  private readonly loadingState = signal(false);
  private readonly loadedState = signal(false);
  private readonly loadErrorState = signal<string | null>(null);
  private readonly previewId = signal<string | null>(null);
  private previewIndex = 0;
  private loadRun = 0;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Deletion is final: a stale page or late answer never brings a deleted photo back. */
  private readonly deleted = new Set<string>();
  private readonly follower = new ChangeFollower(
    (sinceSeq) => this.socket.request('admin:changes', { sinceSeq }),
    (changes) => this.merge(changes),
  );

  readonly selection = new Selection();
  readonly filter = this.filterState.asReadonly();
  readonly searchText = this.searchTextState.asReadonly();
  readonly photos = this.list.asReadonly();
  readonly hasMore = computed(() => this.nextCursor() !== null);
  readonly loading = this.loadingState.asReadonly();
  readonly loaded = this.loadedState.asReadonly();
  readonly loadError = this.loadErrorState.asReadonly();
  readonly selectedPhotos = computed(() => this.list().filter((p) => this.selection.selected().has(p.id)));
  /** The photo in the large preview; when it leaves the view, the one that took its place. */
  readonly previewed = computed(() => {
    const id = this.previewId();
    if (id === null) return null;
    const list = this.list();
    return list.find((p) => p.id === id) ?? list[Math.min(this.previewIndex, list.length - 1)] ?? null;
  });

  constructor() {
    const subscriptions = [
      this.socket.photosChanged$.subscribe(({ seq }) => this.follower.notify(seq)),
      this.socket.connects$.subscribe(() => this.follower.catchUp()),
    ];
    inject(DestroyRef).onDestroy(() => {
      clearTimeout(this.searchTimer);
      for (const subscription of subscriptions) subscription.unsubscribe();
    });
  }

  ensureLoaded(): void {
    if (!this.loadedState() && !this.loadingState()) void this.load();
  }

  setState(state: AdminStateFilter): void {
    this.setFilter({ ...this.filterState(), state });
  }

  setGuest(guest: number | null): void {
    this.setFilter({ ...this.filterState(), guest });
  }

  /** Typing waits SEARCH_DEBOUNCE_MS for a pause before the grid asks again. */
  setSearchText(text: string): void {
    this.searchTextState.set(text);
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.setFilter({ ...this.filterState(), search: text.trim() }), SEARCH_DEBOUNCE_MS);
  }

  /** The first page for the current filter; the newest load wins. */
  async load(): Promise<void> {
    const run = ++this.loadRun;
    this.follower.reset(null);
    this.loadingState.set(true);
    this.nextCursor.set(null); // a cursor belongs to its filter
    const filter = this.filterState();
    const result = await this.socket.request('admin:photos', { ...filter, cursor: null, limit: ADMIN_PAGE_LIMIT });
    if (run !== this.loadRun) return;
    this.loadingState.set(false);
    if (!result.ok) {
      this.loadErrorState.set(adminMessage(result.error));
      return;
    }
    this.loadErrorState.set(null);
    this.nextCursor.set(result.value.next);
    this.setList(result.value.photos.filter((p) => !this.deleted.has(p.id)));
    this.loadedState.set(true);
    this.follower.reset(result.value.seq);
  }

  async loadMore(): Promise<void> {
    const cursor = this.nextCursor();
    if (cursor === null || this.loadingState()) return;
    const run = this.loadRun;
    this.loadingState.set(true);
    const result = await this.socket.request('admin:photos', { ...this.filterState(), cursor, limit: ADMIN_PAGE_LIMIT });
    if (run !== this.loadRun) return;
    this.loadingState.set(false);
    if (!result.ok) {
      this.console.notify(adminMessage(result.error), 'error');
      return;
    }
    this.nextCursor.set(result.value.next);
    this.setList(appendPage(this.list(), result.value.photos.filter((p) => !this.deleted.has(p.id))));
    // This page may be newer than the list's seq: changes in between come with the next catch-up.
    this.follower.catchUp();
  }

  toggleSelected(id: string, range: boolean): void {
    this.selection.toggle(
      id,
      this.list().map((p) => p.id),
      range,
    );
  }

  selectAllLoaded(): void {
    this.selection.selectAll(this.list().map((p) => p.id));
  }

  openPreview(id: string): void {
    this.previewIndex = Math.max(0, this.list().findIndex((p) => p.id === id));
    this.previewId.set(id);
  }

  closePreview(): void {
    this.previewId.set(null);
  }

  /** Next or previous photo in the preview; past the last loaded one, the next page is fetched. */
  async step(delta: 1 | -1): Promise<void> {
    const current = this.previewed();
    if (!current) return;
    let index = this.list().findIndex((p) => p.id === current.id) + delta;
    if (index >= this.list().length && this.hasMore()) await this.loadMore();
    index = Math.max(0, Math.min(index, this.list().length - 1));
    const photo = this.list()[index];
    if (photo) this.openPreview(photo.id);
  }

  async moderate(photo: AdminPhotoDto, state: 'visible' | 'pending' | 'hidden'): Promise<boolean> {
    const result = await this.socket.request('admin:moderate', { id: photo.id, state });
    if (result.ok) {
      this.applyAck(result.value);
      this.console.notify(state === 'visible' ? 'On the wall now.' : state === 'hidden' ? 'Hidden from the wall.' : 'Back to waiting.');
    } else this.failed(photo, result.error);
    return result.ok;
  }

  async remove(photo: AdminPhotoDto): Promise<boolean> {
    const result = await this.socket.request('admin:remove', { id: photo.id });
    if (result.ok || result.error.code === ErrorCode.NotFound) {
      this.drop([photo.id]);
      this.console.notify('Photo deleted.');
      return true;
    }
    this.console.notify(adminMessage(result.error), 'error');
    return false;
  }

  async block(photo: AdminPhotoDto, hide: boolean): Promise<boolean> {
    const result = await this.socket.request('admin:block', { id: photo.id, hide });
    if (!result.ok) return this.failed(photo, result.error);
    this.markBlocked(photo.guest, true);
    const hidden = result.value.hidden;
    this.console.notify(`Guest ${photo.guest} can no longer upload${hide ? `; ${plural(hidden, 'photo')} hidden` : ''}.`);
    this.follower.catchUp();
    return true;
  }

  async unblock(photo: AdminPhotoDto): Promise<boolean> {
    const result = await this.socket.request('admin:unblock', { id: photo.id });
    if (!result.ok) return this.failed(photo, result.error);
    this.markBlocked(photo.guest, false);
    this.console.notify(`Guest ${photo.guest} can upload again.`);
    this.follower.catchUp();
    return true;
  }

  /** One action on these (selected) photos, ADMIN_BULK_LIMIT at a time; the selection clears after. */
  async bulk(action: AdminBulkAction, photos: readonly AdminPhotoDto[]): Promise<boolean> {
    const ids = photos.map((p) => p.id);
    let changed = 0;
    for (let i = 0; i < ids.length; i += ADMIN_BULK_LIMIT) {
      const batch = ids.slice(i, i + ADMIN_BULK_LIMIT);
      const result = await this.socket.request('admin:bulk', { ids: batch, action });
      if (!result.ok) {
        this.console.notify(adminMessage(result.error), 'error');
        this.follower.catchUp();
        return false;
      }
      changed += result.value.changed;
      if (action === 'remove') this.drop(batch);
    }
    this.selection.clear();
    this.console.notify(`${plural(changed, 'photo')} ${BULK_DONE[action]}.`);
    this.follower.catchUp();
    return true;
  }

  private setFilter(filter: PhotoFilter): void {
    const current = this.filterState();
    if (current.state === filter.state && current.search === filter.search && current.guest === filter.guest) return;
    this.filterState.set(filter);
    this.selection.clear();
    void this.load();
  }

  private mergeOptions(): MergeOptions {
    const filter = this.filterState();
    return { matches: (p) => matchesFilter(p, filter), order: newestFirst, complete: this.nextCursor() === null };
  }

  private merge(changes: AdminChanges): void {
    for (const id of changes.removed) this.deleted.add(id);
    this.setList(mergeChanges(this.list(), changes, this.mergeOptions()));
  }

  private applyAck(photo: AdminPhotoDto): void {
    if (!this.deleted.has(photo.id)) this.setList(upsert(this.list(), photo, this.mergeOptions()));
  }

  private drop(ids: readonly string[]): void {
    for (const id of ids) this.deleted.add(id);
    this.setList(this.list().filter((p) => !this.deleted.has(p.id)));
  }

  private markBlocked(guest: number, blocked: boolean): void {
    this.setList(this.list().map((p) => (p.guest === guest && p.guestBlocked !== blocked ? { ...p, guestBlocked: blocked } : p)));
  }

  private failed(photo: AdminPhotoDto, error: Parameters<typeof adminMessage>[0]): false {
    if (error.code === ErrorCode.NotFound) this.drop([photo.id]);
    this.console.notify(adminMessage(error), 'error');
    return false;
  }

  private setList(list: readonly AdminPhotoDto[]): void {
    const current = this.previewId();
    if (current !== null) {
      const index = this.list().findIndex((p) => p.id === current);
      if (index >= 0) this.previewIndex = index;
    }
    this.list.set(list);
    this.selection.keepOnly(list.map((p) => p.id));
  }
}
