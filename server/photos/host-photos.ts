import {
  ADMIN_BULK_LIMIT,
  ADMIN_PAGE_LIMIT,
  ErrorCode,
  err,
  isId,
  ok,
  type AdminBulkAction,
  type AdminChanges,
  type AdminPhotoDto,
  type AdminPhotoPage,
  type Result,
} from '@photobook/shared';
import type { HostPhotoQuery, ModerationStore, PhotoRecord, PhotoStore } from '../store/types';
import { toAdminPhotoDto } from './dto';
import { parsePhotoCursor, photoCursor } from './photo-cursor';
import type { PhotoService } from './photo-service';

/** Changes one admin:changes answer holds at most; the console asks again from the seq it got. */
const CHANGES_LIMIT = 500;
const MAX_SEARCH = 200;
const STATE_FILTERS: Readonly<Record<string, HostPhotoQuery['states']>> = {
  all: ['visible', 'pending', 'hidden'],
  visible: ['visible'],
  pending: ['pending'],
  hidden: ['hidden'],
};
const BULK_ACTIONS: ReadonlySet<string> = new Set<AdminBulkAction>(['visible', 'pending', 'hidden', 'remove']);

const bad = <T>(message: string) => err<T>(ErrorCode.BadRequest, message);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseHostQuery(input: unknown): Result<HostPhotoQuery> {
  if (!isRecord(input)) return bad('The query must be an object.');
  const filter = String(input['state'] ?? 'all');
  const states = Object.hasOwn(STATE_FILTERS, filter) ? STATE_FILTERS[filter] : undefined;
  if (!states) return bad('state must be all, visible, pending or hidden.');
  const search = input['search'] ?? '';
  if (typeof search !== 'string' || search.length > MAX_SEARCH) return bad(`search must be text of at most ${MAX_SEARCH} characters.`);
  const guest = input['guest'] ?? null;
  if (guest !== null && (typeof guest !== 'number' || !Number.isSafeInteger(guest) || guest < 1)) return bad('guest must be a guest number.');
  const limit = input['limit'] ?? ADMIN_PAGE_LIMIT;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1 || limit > ADMIN_PAGE_LIMIT) {
    return bad(`limit must be from 1 to ${ADMIN_PAGE_LIMIT}.`);
  }
  const after = parsePhotoCursor(input['cursor'] ?? null);
  if (after === undefined) return bad('cursor must come from the previous page.');
  return ok({ states, search: search.trim(), guest, after, limit });
}

/**
 * What the host's console does with photos. Guests appear by alias number only; changes go through
 * PhotoService, which tells the notifier, so walls, owners' tabs and other consoles follow.
 */
export class HostPhotos {
  constructor(
    private readonly store: PhotoStore & ModerationStore,
    private readonly photos: PhotoService,
  ) {}

  async list(input: unknown): Promise<Result<AdminPhotoPage>> {
    const query = parseHostQuery(input);
    if (!query.ok) return query;
    const seq = await this.store.currentSeq();
    const records = await this.store.listForHost(query.value);
    const last = records.at(-1);
    const next = records.length === query.value.limit && last ? photoCursor(last) : null;
    return ok({ photos: await this.toDtos(records), next, seq });
  }

  async changes(input: unknown): Promise<Result<AdminChanges>> {
    const since = isRecord(input) ? input['sinceSeq'] : undefined;
    if (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0) return bad('sinceSeq must be a whole number.');
    // The head first: a change made meanwhile is then in the answer or after its seq, never skipped.
    const head = await this.store.currentSeq();
    const records = await this.store.changesSince(since, CHANGES_LIMIT);
    const live = records.filter((r) => r.state !== 'removed');
    const seq = records.length === CHANGES_LIMIT ? records.at(-1)!.seq : Math.max(since, head, ...records.map((r) => r.seq));
    return ok({ photos: await this.toDtos(live), removed: records.filter((r) => r.state === 'removed').map((r) => r.id), seq });
  }

  async moderate(input: unknown): Promise<Result<AdminPhotoDto>> {
    const moderated = await this.photos.moderate(input);
    if (!moderated.ok) return moderated;
    const photo = await this.store.getPhoto(moderated.value.id);
    return photo ? ok((await this.toDtos([photo]))[0]!) : err(ErrorCode.NotFound, 'There is no such photo.');
  }

  /** One action on many photos; photos that are gone are skipped, the rest change one by one. */
  async bulk(input: unknown): Promise<Result<{ changed: number }>> {
    if (!isRecord(input)) return bad('The request must be an object.');
    const { ids, action } = input;
    if (typeof action !== 'string' || !BULK_ACTIONS.has(action)) return bad('action must be visible, pending, hidden or remove.');
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > ADMIN_BULK_LIMIT || !ids.every(isId)) {
      return bad(`ids must be 1 to ${ADMIN_BULK_LIMIT} photo ids.`);
    }
    let changed = 0;
    for (const id of new Set(ids)) {
      const done = action === 'remove' ? await this.photos.remove({ kind: 'host' }, { id }) : await this.photos.moderate({ id, state: action });
      if (done.ok) changed++;
    }
    return ok({ changed });
  }

  async unblock(input: unknown): Promise<Result<null>> {
    if (!isRecord(input) || !isId(input['id'])) return bad('id must be a photo id.');
    // The console marks that guest's cards itself (it knows the alias); photos do not change.
    return (await this.store.unblockOwnerOf(input['id'])) ? ok(null) : err(ErrorCode.NotFound, 'There is no such photo.');
  }

  private async toDtos(records: readonly PhotoRecord[]): Promise<AdminPhotoDto[]> {
    const guests = await this.store.guestsOf([...new Set(records.map((r) => r.ownerId))]);
    return records.map((r) => toAdminPhotoDto(r, guests.get(r.ownerId)));
  }
}
