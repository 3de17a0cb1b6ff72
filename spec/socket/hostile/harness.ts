/**
 * The harness of the hostile-input corpus (spec/socket/hostile-input.spec.ts): what a case is, what
 * it may do through its context, and the helpers and case builders the case files share.
 */
import { collect } from '../../../server/store/blob-body';
import { ErrorCode, type PhotoDto, type Result, type UploadBeginReply } from '@photobook/shared';
import type { AppConfig } from '../../../server/app';
import { noisyPng } from '../../fixtures/hostile-files';
import { request, type TestServer, type TestSocket } from '../../fixtures/server';

export type AnyResult = Result<unknown>;

/** What a case must end in. */
export type Outcome =
  /** Every reply the case returns is this error. */
  | { readonly code: ErrorCode }
  /** The input is legitimate after all: every reply is ok and exactly one photo is stored. */
  | { readonly stored: true }
  /** Every reply is ok and nothing is stored (a limit must not outlive what it limits). */
  | { readonly allowed: true }
  /** Socket.IO drops the connection before the server sees the request. */
  | { readonly disconnected: true };

export interface Ctx {
  readonly server: TestServer;
  /** The guest's socket; the control upload uses it if it is still connected. */
  readonly socket: TestSocket;
  /** The same guest (same owner cookie) on a new connection. */
  reconnect(): Promise<TestSocket>;
  /** Another guest, with an owner cookie of their own. */
  guest(): Promise<TestSocket>;
  /** Moves the server's clock forward (it reads Date.now() + this skew). */
  advance(ms: number): void;
  /** upload:begin with valid fields unless overridden; raw Result. */
  begin(overrides?: Record<string, unknown>, socket?: TestSocket): Promise<Result<UploadBeginReply>>;
  /** A begin that must succeed with a new upload; returns its id. */
  open(size: number, socket?: TestSocket): Promise<string>;
  chunk(uploadId: string, offset: number, data: unknown, socket?: TestSocket): Promise<Result<{ offset: number }>>;
  commit(uploadId: unknown, socket?: TestSocket): Promise<Result<PhotoDto>>;
  abort(uploadId: unknown, socket?: TestSocket): Promise<Result<null>>;
  /** Begins an upload of `bytes` and sends only its first chunk: where magic bytes are checked. */
  firstChunk(bytes: Buffer): Promise<AnyResult>;
  /** Begins, sends every byte (each chunk must be accepted) and commits: where decoding happens. */
  sendAndCommit(bytes: Buffer): Promise<Result<PhotoDto>>;
}

export interface HostileCase {
  /** The rule quoted, e.g. 'UP8'. */
  readonly rule: string;
  /** Reads as a sentence after the rule; the expected code replaces {code}, or is appended. */
  readonly does: string;
  readonly outcome: Outcome;
  readonly config?: Partial<AppConfig>;
  /** The case legitimately makes one photo on the way (e.g. it commits, then attacks the photo). */
  readonly makesPhoto?: true;
  /** The server's resident memory may grow at most this much while the case runs. */
  readonly maxRssGrowthMb?: number;
  readonly act: (ctx: Ctx) => Promise<AnyResult | readonly AnyResult[]>;
}

export const CONTROL_CAPTION = 'control photo after a hostile case';
export const MB = 1024 * 1024;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

let ids = 0;
export const nextId = () => `hostile-${++ids}-${Date.now()}`;

export const code = (r: AnyResult) => (r.ok ? 'ok' : r.error.code);

export function expectOk<T>(r: Result<T>, what: string): T {
  if (!r.ok) throw new Error(`${what} failed: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** A begin that must open (or resume) an upload. */
export function expectOpen(r: Result<UploadBeginReply>, what: string): { uploadId: string; offset: number } {
  const reply = expectOk(r, what);
  if (reply.state !== 'open') throw new Error(`${what} found a committed upload`);
  return reply;
}

/** The bytes of one stored blob, by content key, read through the store (whichever store it is). */
export async function mediaBlob(server: TestServer, key: string): Promise<Buffer> {
  for (const photo of await server.store.changesSince(0, 10_000)) {
    const variant = photo.variants.find((v) => v.key === key);
    const stored = variant ? await server.store.readVariant(photo.id, variant.kind) : null;
    if (stored) return collect(stored.body);
  }
  throw new Error(`blob ${key} is missing`);
}

/** Samples resident memory while a case runs; returns the peak growth in MB. */
export function watchRss(): () => number {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 2);
  return () => {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage.rss());
    return (peak - start) / MB;
  };
}

/** Resolves with the disconnect reason, or rejects after `ms`. */
export function disconnection(socket: TestSocket, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${ms} ms`)), ms);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** A real, valid 9 KB PNG: the well-formed file the protocol cases play with. */
export const realPng = () => noisyPng(64, 48);

/** A chunk with a bad field: BAD_REQUEST, nothing written, the upload still open (then aborted). */
function badChunkFieldCase(does: string, field: { data?: unknown; offset?: unknown }): HostileCase {
  return {
    rule: 'UP2',
    does,
    outcome: { code: ErrorCode.BadRequest },
    async act(ctx) {
      const png = await realPng();
      const uploadId = await ctx.open(png.length);
      const reply = await request<{ offset: number }>(ctx.socket, 'upload:chunk', {
        uploadId,
        offset: 'offset' in field ? field.offset : 0,
        data: 'data' in field ? field.data : png.subarray(0, 1000),
      });
      expect((await ctx.server.store.getUpload(uploadId))?.received).withContext('nothing written').toBe(0);
      // The upload is still open and resumable: the guest gives up on it the protocol's way.
      expect(code(await ctx.abort(uploadId))).toBe('ok');
      return reply;
    },
  };
}

/** Chunk shapes that are not binary. */
export const badChunkCase = (does: string, data: unknown) => badChunkFieldCase(does, { data });

/** Offsets that are not whole, non-negative numbers. */
export const badOffsetCase = (does: string, offset: unknown) => badChunkFieldCase(does, { offset });

/** Magic bytes that are not a supported image: refused on the first chunk and deleted (UP8). */
export function wrongTypeCase(does: string, file: () => Buffer | Promise<Buffer>, expected: ErrorCode = ErrorCode.UnsupportedType): HostileCase {
  return {
    rule: 'UP8',
    does,
    outcome: { code: expected },
    act: async (ctx) => ctx.firstChunk(await file()),
  };
}

/** Supported magic bytes, bytes that cannot be decoded: refused at commit, nothing kept (UP9). */
export function undecodableCase(does: string, file: () => Buffer | Promise<Buffer>, expected: ErrorCode = ErrorCode.CorruptImage, maxRssGrowthMb?: number): HostileCase {
  return {
    rule: 'UP9',
    does,
    outcome: { code: expected },
    ...(maxRssGrowthMb === undefined ? {} : { maxRssGrowthMb }),
    act: async (ctx) => ctx.sendAndCommit(await file()),
  };
}
