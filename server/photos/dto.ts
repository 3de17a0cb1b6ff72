import { ADMIN_MEDIA_PATH, type AdminPhotoDto, type MyPhotoDto, type PhotoDto, type PhotoRemovedDto } from '@photobook/shared';
import { FULL_COPY_VARIANTS, type GuestInfo, type PhotoRecord, type VariantKind } from '../store/types';

export function mediaUrl(key: string): string {
  return `/media/${key}`;
}

function variantUrl(photo: PhotoRecord, kind: VariantKind): string {
  const variant = photo.variants.find((v) => v.kind === kind);
  return variant ? mediaUrl(variant.key) : '';
}

/** The only way a photo leaves the server: the owner id and private variants stay behind. */
export function toPhotoDto(photo: PhotoRecord): PhotoDto {
  const display = photo.variants.find((v) => v.kind === 'display');
  return {
    id: photo.id,
    seq: photo.seq,
    caption: photo.caption,
    author: photo.author,
    createdAt: photo.createdAt,
    width: display?.width ?? 0,
    height: display?.height ?? 0,
    displayUrl: variantUrl(photo, 'display'),
    thumbUrl: variantUrl(photo, 'thumb'),
    guest: photo.guest,
  };
}

/** For the owner's own page: the same, plus where the photo stands. Not for removed photos. */
export function toMyPhotoDto(photo: PhotoRecord): MyPhotoDto {
  const state = photo.state === 'removed' ? 'hidden' : photo.state;
  return { ...toPhotoDto(photo), state, fullCopy: hasFullCopy(photo) };
}

/** The whole file is held (as sent, or as the host's archive copy), not only a preview (UP24). */
export function hasFullCopy(photo: PhotoRecord): boolean {
  return photo.variants.some((v) => FULL_COPY_VARIANTS.has(v.kind));
}

export function toRemovedDto(photo: PhotoRecord): PhotoRemovedDto {
  return { id: photo.id, seq: photo.seq };
}

/**
 * The host sees pending and hidden photos too, so their images come from the admin's own route. The
 * alias number comes with the record; `guest` adds whether that guest is blocked.
 */
export function toAdminPhotoDto(photo: PhotoRecord, guest: GuestInfo | undefined): AdminPhotoDto {
  const hostUrl = (kind: VariantKind) => {
    const variant = photo.variants.find((v) => v.kind === kind);
    return variant ? `${ADMIN_MEDIA_PATH}/${variant.key}` : '';
  };
  return {
    ...toMyPhotoDto(photo),
    displayUrl: hostUrl('display'),
    thumbUrl: hostUrl('thumb'),
    guestBlocked: guest?.blocked ?? false,
  };
}
