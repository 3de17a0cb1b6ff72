import type { PhotoDto } from '@photobook/shared';

/** What a screen reader (and the e2e specs) read for a photo; captions stay private when the host hides them. */
export function altText(photo: Pick<PhotoDto, 'caption' | 'author'>, captions: boolean): string {
  if (!captions) return 'Photo from a guest';
  return photo.caption || 'Photo by ' + (photo.author || 'a guest');
}
