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

/**
 * visible: on the wall; pending: waits for the host's approval; hidden: taken off the wall by the
 * host; removed: deleted (a tombstone kept so walls that were offline learn of it; no images).
 */
export type PhotoState = 'visible' | 'pending' | 'hidden' | 'removed';

/** A guest's own photo on "My photos": what the wall shows plus where it stands. */
export interface MyPhotoDto extends PhotoDto {
  readonly state: Exclude<PhotoState, 'removed'>;
}

/** A photo that left the wall (deleted, hidden, or no longer approved): walls drop it. */
export interface PhotoRemovedDto {
  readonly id: string;
  readonly seq: number;
}

/**
 * What a wall receives when it joins: the newest photos first, and the feed position. On a rejoin
 * (sinceSeq given) `photos` holds what was added or changed after it and `removed` what left.
 */
export interface WallSnapshot {
  readonly photos: readonly PhotoDto[];
  readonly removed: readonly string[];
  /** The highest seq at the time of the snapshot. */
  readonly seq: number;
}

/** An owner's (or the host's) edit: only the fields given change. */
export interface PhotoUpdateRequest {
  readonly id: string;
  readonly caption?: string;
  readonly author?: string;
}

export interface PhotoRef {
  readonly id: string;
}
