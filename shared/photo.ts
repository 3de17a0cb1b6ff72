/**
 * A photo as anybody but the server sees it. It never carries the uploader's id:
 * ownership is decided on the server from the signed cookie.
 */
export interface PhotoDto {
  readonly id: string;
  /** Position in the change feed; walls resume from the highest one they saw. */
  readonly seq: number;
  readonly caption: string;
  readonly author: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** Upright dimensions of the display image. */
  readonly width: number;
  readonly height: number;
  /** Content-addressed, immutable URLs (relative to the app's origin). */
  readonly displayUrl: string;
  readonly thumbUrl: string;
}

/** What a wall receives when it joins: the newest photos first, and the feed position. */
export interface WallSnapshot {
  readonly photos: readonly PhotoDto[];
  /** The highest seq at the time of the snapshot. */
  readonly seq: number;
}
