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
  /**
   * The uploader's alias number ("Guest 17"; 0 when unknown), so that a wall can give every guest
   * their turn. It tells only that two photos came from the same phone, never who or which cookie.
   */
  readonly guest: number;
}

/**
 * visible: on the wall; pending: waits for the host's approval; hidden: taken off the wall by the
 * host; removed: deleted (a tombstone kept so walls that were offline learn of it; no images).
 */
export type PhotoState = 'visible' | 'pending' | 'hidden' | 'removed';

/** A guest's own photo on "My photos": what the wall shows plus where it stands. */
export interface MyPhotoDto extends PhotoDto {
  readonly state: Exclude<PhotoState, 'removed'>;
  /**
   * The server holds the photo in full quality (the whole file, or the original that followed its
   * preview). False while only the preview arrived: the wall shows it, the archive has no full copy yet.
   */
  readonly fullCopy: boolean;
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
  /**
   * true: `photos` is the newest window of the wall, not a list of changes (a first join, or a wall
   * that missed too much): drop what you held. false: apply photos and removed to what you hold.
   */
  readonly full: boolean;
  /** Photos on the wall in all (for the count overlay; the snapshot holds at most a window of them). */
  readonly total: number;
}

/** Most photos a first wall:join snapshot holds (the default; a join may ask for fewer). */
export const WALL_SNAPSHOT_LIMIT = 200;

/** A wall's (or gallery's) join: its feed position, and at most how many photos a full snapshot holds. */
export interface WallJoinRequest {
  readonly sinceSeq: number | null;
  /** 1 to WALL_SNAPSHOT_LIMIT (the default). */
  readonly limit?: number;
}

/** Most photos one wall:page answer holds. */
export const WALL_PAGE_LIMIT = 200;

/** Older photos for a wall that cycles through the whole event, newest upload first. */
export interface WallPage {
  readonly photos: readonly PhotoDto[];
  /** Pass as cursor for the next page; null after the oldest photo (start again from null). */
  readonly next: string | null;
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
