import {
  ErrorCode,
  err,
  isId,
  ok,
  validateAuthor,
  validateCaption,
  type MyPhotoDto,
  type Result,
} from '@photobook/shared';
import type { Notifier } from '../notifier';
import type { Actor, ModerationStore, PhotoPatch, PhotoStore } from '../store/types';
import { toMyPhotoDto } from './dto';

/** "My photos" lists at most this many; nobody uploads more at one party. */
export const OWN_PHOTOS_LIMIT = 1000;

const notFound = <T>() => err<T>(ErrorCode.NotFound, 'There is no such photo.');
const bad = <T>(message: string) => err<T>(ErrorCode.BadRequest, message);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The edit a request asks for, with each field validated like at upload; only given fields change. */
export function parsePhotoUpdate(input: unknown): Result<{ id: string; patch: PhotoPatch }> {
  if (!isRecord(input) || !isId(input['id'])) return bad('id must be a photo id.');
  const patch: { caption?: string; author?: string } = {};
  if (input['caption'] !== undefined) {
    const caption = validateCaption(input['caption']);
    if (!caption.ok) return caption;
    patch.caption = caption.value;
  }
  if (input['author'] !== undefined) {
    const author = validateAuthor(input['author']);
    if (!author.ok) return author;
    patch.author = author.value;
  }
  if (patch.caption === undefined && patch.author === undefined) return bad('Nothing to change: give a caption or a name.');
  return ok({ id: input['id'], patch });
}

/**
 * A guest's own photos: list, edit, delete. The owner check is the store's, in the write itself;
 * anybody else's photo looks exactly like one that does not exist.
 */
export class PhotoService {
  constructor(
    private readonly store: PhotoStore & ModerationStore,
    private readonly notifier: Notifier,
  ) {}

  async listOwn(ownerId: string): Promise<Result<readonly MyPhotoDto[]>> {
    return ok((await this.store.listOwnPhotos(ownerId, OWN_PHOTOS_LIMIT)).map(toMyPhotoDto));
  }

  async update(actor: Actor, input: unknown): Promise<Result<MyPhotoDto>> {
    const request = parsePhotoUpdate(input);
    if (!request.ok) return request;
    const photo = await this.store.updatePhoto(request.value.id, actor, request.value.patch);
    if (!photo) return notFound();
    this.notifier.photoChanged(photo);
    return ok(toMyPhotoDto(photo));
  }

  /** The host approves (visible), holds back (pending) or hides a photo; walls follow at once. */
  async moderate(input: unknown): Promise<Result<MyPhotoDto>> {
    if (!isRecord(input) || !isId(input['id'])) return bad('id must be a photo id.');
    const state = input['state'];
    if (state !== 'visible' && state !== 'pending' && state !== 'hidden') return bad('state must be visible, pending or hidden.');
    const photo = await this.store.updatePhoto(input['id'], { kind: 'host' }, { state });
    if (!photo) return notFound();
    this.notifier.photoChanged(photo);
    return ok(toMyPhotoDto(photo));
  }

  /**
   * Blocks the guest who uploaded this photo from uploading again; with `hide`, takes every photo of
   * theirs off the walls at once. The host acts by photo: a guest's key never leaves the server.
   */
  async blockUploader(input: unknown): Promise<Result<{ hidden: number }>> {
    if (!isRecord(input) || !isId(input['id'])) return bad('id must be a photo id.');
    const blocked = await this.store.blockOwnerOf(input['id']);
    if (!blocked) return notFound();
    let hidden = 0;
    if (input['hide'] === true) {
      for (const photo of await this.store.listOwnPhotos(blocked.ownerId, OWN_PHOTOS_LIMIT)) {
        if (photo.state === 'hidden') continue;
        const changed = await this.store.updatePhoto(photo.id, { kind: 'host' }, { state: 'hidden' });
        if (changed) {
          hidden++;
          this.notifier.photoChanged(changed);
        }
      }
    }
    return ok({ hidden });
  }

  async remove(actor: Actor, input: unknown): Promise<Result<null>> {
    if (!isRecord(input) || !isId(input['id'])) return bad('id must be a photo id.');
    const before = await this.store.getPhoto(input['id']);
    const photo = await this.store.removePhoto(input['id'], actor);
    if (!photo) return notFound();
    // Said once: a second removal of the same photo changes nothing and tells nobody.
    if (before?.state !== 'removed') this.notifier.photoChanged(photo);
    return ok(null);
  }
}
