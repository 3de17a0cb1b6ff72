/**
 * A photo's own address (GET /p/:id): a small page that messengers read for a preview, served only
 * while the photo is on the wall and the host's EventSettings.shareLinks is on. Its download
 * (GET /p/:id/download) is the full-quality copy as an attachment, while guestDownloads is on.
 */
export const SHARE_PATH_PREFIX = '/p';

export function sharePath(photoId: string): string {
  return `${SHARE_PATH_PREFIX}/${encodeURIComponent(photoId)}`;
}

export function downloadPath(photoId: string): string {
  return `${sharePath(photoId)}/download`;
}
