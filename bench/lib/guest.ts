/**
 * A guest's side of the upload protocol, as the bench drives it: websocket transport (what a
 * browser settles on after its upgrade), a window of chunks in flight like the real client
 * (client/src/app/upload/upload.service.ts), and timings on the shared clock.
 */
import { randomBytes } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import {
  CHUNK_SIZE,
  UPLOAD_WINDOW,
  UploadPace,
  type ClientToServerEvents,
  type PhotoDto,
  type Result,
  type ServerToClientEvents,
  type UploadBeginReply,
  type WallSnapshot,
} from '@photobook/shared';
import { guestCookie } from '../../spec/fixtures/server';
import { wallClock } from './clock';

export type BenchSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A new guest (its own owner cookie, so per-guest limits do not bind), connected. */
export async function connectGuest(url: string, cookie = guestCookie().cookie): Promise<BenchSocket> {
  const socket: BenchSocket = connect(url, {
    forceNew: true,
    reconnection: false,
    transports: ['websocket'],
    extraHeaders: { cookie },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** An acked request that fails loudly: a bench that measures refusals would measure nothing. */
export async function ask<T>(socket: BenchSocket, event: string, payload: unknown, timeoutMs = 60_000): Promise<T> {
  const emitter = socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<Result<T>> };
  const result = await emitter.emitWithAck(event, payload);
  if (!result.ok) throw new Error(`${event} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** An upload begun: its id and the window the server gave it (its share; see server/upload/window-share.ts). */
export interface Begun {
  readonly uploadId: string;
  readonly window: number;
}

export async function begin(socket: BenchSocket, size: number, type = 'image/jpeg'): Promise<Begun> {
  const reply = await ask<UploadBeginReply>(socket, 'upload:begin', {
    clientUploadId: randomBytes(12).toString('base64url'),
    name: 'bench.jpg',
    size,
    type,
    caption: 'bench',
    author: 'bench',
  });
  if (reply.state !== 'open') throw new Error('upload:begin found a committed upload');
  return { uploadId: reply.uploadId, window: reply.window };
}

/**
 * Sends every chunk, paced as the phone paces them (UploadPace: as many in flight as half a second
 * at the measured rate, up to the window begin gave); resolves at the last ack (shared clock).
 */
export async function sendChunks(socket: BenchSocket, { uploadId, window }: Begun, bytes: Buffer): Promise<number> {
  const inFlight: Promise<{ offset: number }>[] = [];
  const pace = new UploadPace(Math.min(window, UPLOAD_WINDOW), CHUNK_SIZE, 0, performance.now());
  let next = 0;
  let confirmed = 0;
  while (confirmed < bytes.length) {
    while (inFlight.length < pace.chunksAhead() && next < bytes.length) {
      const end = Math.min(next + CHUNK_SIZE, bytes.length);
      inFlight.push(ask<{ offset: number }>(socket, 'upload:chunk', { uploadId, offset: next, data: bytes.subarray(next, end) }));
      next = end;
    }
    const head = inFlight.shift()!;
    // Once one chunk fails, the ones behind it fail too: they must not end the bench unheard.
    head.catch(() => inFlight.forEach((p) => p.catch(() => undefined)));
    confirmed = (await head).offset;
    pace.acked(confirmed, performance.now());
  }
  return wallClock();
}

export const commit = (socket: BenchSocket, uploadId: string) => ask<PhotoDto>(socket, 'upload:commit', { uploadId }, 600_000);

export const abort = (socket: BenchSocket, uploadId: string) => ask<null>(socket, 'upload:abort', { uploadId });

/** Begin, chunks, commit: the photo, and when its last chunk was acknowledged. */
export async function upload(socket: BenchSocket, bytes: Buffer): Promise<{ photo: PhotoDto; lastAck: number; uploadId: string }> {
  const begun = await begin(socket, bytes.length);
  const lastAck = await sendChunks(socket, begun, bytes);
  return { photo: await commit(socket, begun.uploadId), lastAck, uploadId: begun.uploadId };
}

/** A first join; `limit` caps the snapshot (the server's default window when left out). */
export const joinWall = (socket: BenchSocket, limit?: number) => ask<WallSnapshot>(socket, 'wall:join', { sinceSeq: null, limit });
