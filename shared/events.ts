import type { MyPhotoDto, PhotoDto, PhotoRef, PhotoRemovedDto, PhotoUpdateRequest, WallJoinRequest, WallPage, WallSnapshot } from './photo';
import type { Result } from './result';
import type {
  UploadBeginReply,
  UploadBeginRequest,
  UploadChunkReply,
  UploadChunkRequest,
  UploadRef,
  PublicSettings,
} from './upload';

export type Ack<T> = (result: Result<T>) => void;

/** Requests a client makes. Imperative names; every one is acked with a Result. */
export interface ClientToServerEvents {
  'upload:begin': (request: UploadBeginRequest, ack: Ack<UploadBeginReply>) => void;
  'upload:chunk': (request: UploadChunkRequest, ack: Ack<UploadChunkReply>) => void;
  'upload:commit': (request: UploadRef, ack: Ack<PhotoDto>) => void;
  'upload:abort': (request: UploadRef, ack: Ack<null>) => void;
  /**
   * Joins the live feed. With a sinceSeq the snapshot holds only what changed after it; a full one
   * holds the newest `limit` photos (default and most: WALL_SNAPSHOT_LIMIT).
   */
  'wall:join': (request: WallJoinRequest, ack: Ack<WallSnapshot>) => void;
  /** A page of the photos on the wall, newest upload first (a wall cycling through 10,000 photos). */
  'wall:page': (request: { readonly cursor: string | null; readonly limit: number }, ack: Ack<WallPage>) => void;
  /** The guest's own photos, newest first; this socket then gets mine:* events for them. */
  'mine:list': (request: Record<string, never>, ack: Ack<readonly MyPhotoDto[]>) => void;
  /** Owner or host only; anybody else gets NOT_FOUND, exactly as for a photo that does not exist. */
  'photo:update': (request: PhotoUpdateRequest, ack: Ack<MyPhotoDto>) => void;
  /** Owner or host only; removing a removed photo again is ok. */
  'photo:remove': (request: PhotoRef, ack: Ack<null>) => void;
  /**
   * A new recovery code for this guest (the server keeps only its hash, so it cannot show it again;
   * the previous code stops working). The page keeps it on the device to show it later.
   */
  'owner:code': (request: Record<string, never>, ack: Ack<{ readonly code: string }>) => void;
  /**
   * Makes this browser an owner of the photos of whoever the code belongs to, for this socket at once
   * and for the browser's later connections. Wrong codes: RECOVERY_CODE_INVALID; too many: RATE_LIMITED.
   */
  'owner:recover': (request: { readonly code: string }, ack: Ack<{ readonly photos: number }>) => void;
}

/** Facts the server states, in the past tense. */
export interface ServerToClientEvents {
  /** To walls. */
  'photo:added': (photo: PhotoDto) => void;
  /** To walls: a photo on the wall changed (caption, name), or came (back) onto it. */
  'photo:updated': (photo: PhotoDto) => void;
  /** To walls: a photo left the wall. */
  'photo:removed': (photo: PhotoRemovedDto) => void;
  /** To the owner's own tabs that listed their photos (mine:list): one of them was added or changed. */
  'mine:updated': (photo: MyPhotoDto) => void;
  /** To the owner's own tabs: one of their photos was deleted. */
  'mine:removed': (photo: PhotoRemovedDto) => void;
  /** Sent to each socket on connect, then to everyone whenever the host changes them. */
  'settings:changed': (settings: PublicSettings) => void;
  /**
   * The link between server replicas (Redis) came back after a gap, so live events may have been
   * missed: walls catch up from their last position, "My photos" lists again.
   */
  'feed:resumed': () => void;
}
