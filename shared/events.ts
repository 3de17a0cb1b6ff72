import type { PhotoDto, WallSnapshot } from './photo';
import type { Result } from './result';
import type {
  UploadBeginReply,
  UploadBeginRequest,
  UploadChunkReply,
  UploadChunkRequest,
  UploadRef,
  UploadSettings,
} from './upload';

export type Ack<T> = (result: Result<T>) => void;

/** Requests a client makes. Imperative names; every one is acked with a Result. */
export interface ClientToServerEvents {
  'upload:begin': (request: UploadBeginRequest, ack: Ack<UploadBeginReply>) => void;
  'upload:chunk': (request: UploadChunkRequest, ack: Ack<UploadChunkReply>) => void;
  'upload:commit': (request: UploadRef, ack: Ack<PhotoDto>) => void;
  'upload:abort': (request: UploadRef, ack: Ack<null>) => void;
  /** Joins the live feed. With a sinceSeq the snapshot holds only what changed after it. */
  'wall:join': (request: { sinceSeq: number | null }, ack: Ack<WallSnapshot>) => void;
}

/** Facts the server states, in the past tense. */
export interface ServerToClientEvents {
  'photo:added': (photo: PhotoDto) => void;
  /** Sent to each socket on connect, then to everyone whenever the host changes them. */
  'settings:changed': (settings: UploadSettings) => void;
}
