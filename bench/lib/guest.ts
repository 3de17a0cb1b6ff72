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
  isRetryable,
  type ClientToServerEvents,
  type PhotoDto,
  type Result,
  type ServerToClientEvents,
  type UploadBeginReply,
  type WallSnapshot,
} from '@photobook/shared';
import { guestCookie } from '../../spec/fixtures/server';
import { sleep, wallClock } from './clock';

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

/** A request the server answered with an error (its code, e.g. INTERNAL), or none within the time allowed (NO_ANSWER). */
export class RequestFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a phone makes of a request with no ack in time: a lost connection, resumed through begin. */
const NO_ANSWER = 'NO_ANSWER';

/** An acked request that fails loudly: a bench that measures refusals would measure nothing. */
export async function ask<T>(socket: BenchSocket, event: string, payload: unknown, timeoutMs = 60_000): Promise<T> {
  const emitter = socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<Result<T>> };
  const result = await emitter.emitWithAck(event, payload).catch((e: unknown) => {
    throw new RequestFailed(NO_ANSWER, `${event}: no answer within ${timeoutMs / 1000} s (${e instanceof Error ? e.message : String(e)})`);
  });
  if (!result.ok) throw new RequestFailed(result.error.code, `${event} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** An upload begun: its id and the window the server gave it (its share; see server/upload/window-share.ts). */
export interface Begun {
  readonly uploadId: string;
  readonly window: number;
  /** Begins the same upload again (as a phone does after a retryable refusal): where it stands now. */
  readonly again?: () => Promise<Begun & { readonly offset: number }>;
}

export async function begin(socket: BenchSocket, size: number, type = 'image/jpeg'): Promise<Begun> {
  const request = {
    clientUploadId: randomBytes(12).toString('base64url'),
    name: 'bench.jpg',
    size,
    type,
    caption: 'bench',
    author: 'bench',
  };
  const again = async (): Promise<Begun & { offset: number }> => {
    const reply = await ask<UploadBeginReply>(socket, 'upload:begin', request);
    if (reply.state !== 'open') throw new Error('upload:begin found a committed upload');
    return { uploadId: reply.uploadId, window: reply.window, offset: reply.offset, again };
  };
  return again();
}

/** Retryable refusals (INTERNAL, SERVER_BUSY, ...) a phone would get over by trying again, and how long it waits. */
const RETRIES = 5;
const RETRY_MS = 1_000;

/**
 * Sends every chunk, paced as the phone paces them (UploadPace: as many in flight as half a second
 * at the measured rate, up to the window begin gave); resolves at the last ack (shared clock). A
 * chunk refused with a retryable code, or not answered in time (the page's lost connection), is
 * handled as the phone handles it: a pause, the upload begun again, and the bytes sent on from where
 * the server says it stands (said in the bench's log).
 */
export async function sendChunks(socket: BenchSocket, begun: Begun, bytes: Buffer): Promise<number> {
  let from: Begun & { offset: number } = { ...begun, offset: 0 };
  let why = '';
  for (let attempt = 1; ; attempt++) {
    try {
      if (attempt > 1) {
        from = await begun.again!();
        // Expired or swept meanwhile: a new upload under another id, which the caller would not commit.
        if (from.uploadId !== begun.uploadId) throw new Error(`upload ${begun.uploadId} is gone (begun again as ${from.uploadId}) after ${why}`);
        console.log(`   (${why}; the upload resumed at byte ${from.offset} of ${bytes.length}, as a phone's would)`);
      }
      return await sendFrom(socket, from, bytes);
    } catch (e) {
      const retryable = e instanceof RequestFailed && (isRetryable(e.code) || e.code === NO_ANSWER);
      if (!retryable || !begun.again || attempt > RETRIES) throw e;
      why = e.code === NO_ANSWER ? 'a request had no answer in time' : `a chunk was answered ${e.code} (${e.message})`;
      await sleep(RETRY_MS * attempt);
    }
  }
}

async function sendFrom(socket: BenchSocket, { uploadId, window, offset }: Begun & { offset: number }, bytes: Buffer): Promise<number> {
  const inFlight: Promise<{ offset: number }>[] = [];
  const pace = new UploadPace(Math.min(window, UPLOAD_WINDOW), CHUNK_SIZE, offset, performance.now());
  let next = offset;
  let confirmed = offset;
  while (confirmed < bytes.length) {
    while (inFlight.length < pace.chunksAhead() && next < bytes.length) {
      const end = Math.min(next + CHUNK_SIZE, bytes.length);
      inFlight.push(ask<{ offset: number }>(socket, 'upload:chunk', { uploadId, offset: next, data: bytes.subarray(next, end) }));
      next = end;
    }
    const head = inFlight.shift()!;
    try {
      confirmed = (await head).offset;
    } catch (e) {
      // The chunks behind a failed one fail or land too: all settle before the caller begins again.
      await Promise.allSettled(inFlight);
      throw e;
    }
    pace.acked(confirmed, performance.now());
  }
  return wallClock();
}

/** A retryable refusal is asked again, as the page does (upload-runner.ts; UP10: commit is idempotent). The page's restart through begin is not copied. */
export async function commit(socket: BenchSocket, uploadId: string): Promise<PhotoDto> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ask<PhotoDto>(socket, 'upload:commit', { uploadId }, 600_000);
    } catch (e) {
      if (!(e instanceof RequestFailed && isRetryable(e.code)) || attempt > RETRIES) throw e;
      console.log(`   (a commit was answered ${e.code} (${e.message}); asked again, as a phone would)`);
      await sleep(RETRY_MS * attempt);
    }
  }
}

/**
 * The page sends an abort and does not wait on its answer (the guest has let the upload go; an upload
 * whose abort failed is deleted by the sweep), so the bench waits as long as for a commit: on
 * FerretDB, deleting one 20 MB upload beside 49 others took over a minute (its delete command reads
 * every part of every upload: 1.4-1.9 s per upload with 12 uploads of 10 MB held, measured).
 */
export const abort = (socket: BenchSocket, uploadId: string) => ask<null>(socket, 'upload:abort', { uploadId }, 600_000);

/** Begin, chunks, commit: the photo, and when its last chunk was acknowledged. */
export async function upload(socket: BenchSocket, bytes: Buffer): Promise<{ photo: PhotoDto; lastAck: number; uploadId: string }> {
  const begun = await begin(socket, bytes.length);
  const lastAck = await sendChunks(socket, begun, bytes);
  return { photo: await commit(socket, begun.uploadId), lastAck, uploadId: begun.uploadId };
}

/** A first join; `limit` caps the snapshot (the server's default window when left out). */
export const joinWall = (socket: BenchSocket, limit?: number) => ask<WallSnapshot>(socket, 'wall:join', { sinceSeq: null, limit });
