/** The upload-to-wall measurement shared by the latency, burst and cost-growth figures. */
import { begin, commit, sendChunks, type BenchSocket } from './guest';
import type { Wall } from './wall';

export interface WallLatency {
  /** Last chunk acknowledged -> photo:added at the wall. */
  readonly added: number;
  /** Last chunk acknowledged -> display image downloaded by the wall. */
  readonly shown: number;
}

/** One photo from `guest`, timed from its last chunk's ack to the wall. */
export async function uploadToWall(guest: BenchSocket, wall: Wall, bytes: Buffer): Promise<WallLatency> {
  const begun = await begin(guest, bytes.length);
  const lastAck = await sendChunks(guest, begun, bytes);
  const photo = await commit(guest, begun.uploadId);
  const arrival = await wall.arrival(photo.id);
  return { added: arrival.added - lastAck, shown: arrival.shown - lastAck };
}
