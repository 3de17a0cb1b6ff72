/** Hostile-input cases: upload:begin fields (UP1) and chunk shape (UP2). */
import { collect } from '../../../server/store/blob-body';
import {
  CHUNK_SIZE,
  DEFAULT_MAX_UPLOAD_BYTES,
  ErrorCode,
  MAX_CAPTION_GRAPHEMES,
  MAX_AUTHOR_GRAPHEMES,
} from '@photobook/shared';
import { PNG_SIGNATURE, noisyPng } from '../../fixtures/hostile-files';
import { request } from '../../fixtures/server';
import {
  MB,
  badChunkCase,
  badOffsetCase,
  code,
  disconnection,
  expectOpen,
  nextId,
  realPng,
  type HostileCase,
} from './harness';

export const FIELD_CASES: readonly HostileCase[] = [
  // ---- upload:begin fields (UP1) ------------------------------------------------------------
  {
    rule: 'UP1',
    does: 'refuses a zero-byte file at begin',
    outcome: { code: ErrorCode.EmptyFile },
    act: (ctx) => ctx.begin({ size: 0 }),
  },
  {
    rule: 'UP1',
    does: 'refuses a declared size one byte above the 50 MB default at begin',
    outcome: { code: ErrorCode.TooLarge },
    act: (ctx) => ctx.begin({ size: DEFAULT_MAX_UPLOAD_BYTES + 1 }),
  },
  {
    rule: 'UP1',
    does: "refuses with {code} a size above a host's 4 KB limit at begin, and the same file declared under it at its first chunk",
    outcome: { code: ErrorCode.TooLarge },
    config: { maxUploadBytes: 4096 },
    async act(ctx) {
      const png = await noisyPng(64, 48); // ~9 KB
      const declared = await ctx.begin({ size: png.length });
      // UP7: the same file declared at the limit is cut off once its bytes pass the declared size.
      const uploadId = await ctx.open(4096);
      const lied = await ctx.chunk(uploadId, 0, png.subarray(0, 5000));
      return [declared, lied];
    },
  },
  {
    rule: 'UP1',
    does: `refuses a caption of ${MAX_CAPTION_GRAPHEMES + 1} graphemes with {code}, counting graphemes, not UTF-16 units`,
    outcome: { code: ErrorCode.CaptionTooLong },
    async act(ctx) {
      const family = '👩‍👩‍👧'; // one grapheme, eight UTF-16 units
      const atLimit = await ctx.begin({ caption: family.repeat(MAX_CAPTION_GRAPHEMES) });
      const { uploadId } = expectOpen(atLimit, 'begin at the limit');
      expect(code(await ctx.abort(uploadId))).toBe('ok');
      return [await ctx.begin({ caption: family.repeat(MAX_CAPTION_GRAPHEMES + 1) }), await ctx.begin({ caption: 'a'.repeat(MAX_CAPTION_GRAPHEMES + 1) })];
    },
  },
  {
    rule: 'UP1',
    does: 'refuses a caption of one grapheme stacked with 40000 combining marks (checked before any count)',
    outcome: { code: ErrorCode.TooManyMarks },
    act: (ctx) => ctx.begin({ caption: `Z${'\u0301\u0316\u0489'.repeat(13_334)}` }),
  },
  {
    rule: 'UP1',
    does: 'refuses a caption that is an object, an array or a number',
    outcome: { code: ErrorCode.BadRequest },
    act: async (ctx) => [
      await ctx.begin({ caption: { toString: 'evil', $gt: '' } }),
      await ctx.begin({ caption: ['a', 'b'] }),
      await ctx.begin({ caption: 42 }),
    ],
  },
  {
    rule: 'UP1',
    does: `refuses an author name of ${MAX_AUTHOR_GRAPHEMES + 1} graphemes`,
    outcome: { code: ErrorCode.AuthorTooLong },
    act: (ctx) => ctx.begin({ author: 'Ä'.repeat(MAX_AUTHOR_GRAPHEMES + 1) }),
  },
  {
    rule: 'UP1',
    does: 'refuses $-operators and other non-ids as clientUploadId',
    outcome: { code: ErrorCode.BadRequest },
    act: async (ctx) => [
      await ctx.begin({ clientUploadId: { $gt: '' } }),
      await ctx.begin({ clientUploadId: { $ne: null } }),
      await ctx.begin({ clientUploadId: '$where: sleep(1000)' }),
      await ctx.begin({ clientUploadId: '$where_1==1' }),
      await ctx.begin({ clientUploadId: ['spec-upload-1'] }),
      await ctx.begin({ clientUploadId: '../../photobook.sqlite' }),
      await ctx.begin({ clientUploadId: 'x'.repeat(65) }),
      await ctx.begin({ clientUploadId: 'short' }),
    ],
  },
  {
    rule: 'UP1',
    does: 'refuses a begin that is not an object',
    outcome: { code: ErrorCode.BadRequest },
    act: async (ctx) => [
      await request(ctx.socket, 'upload:begin', 'garbage'),
      await request(ctx.socket, 'upload:begin', null),
      await request(ctx.socket, 'upload:begin', [nextId(), 'a.jpg', 10]),
      await request(ctx.socket, 'upload:begin', 12345),
    ],
  },
  {
    rule: 'UP1',
    does: 'refuses a size that is a string, negative, fractional, NaN or unsafe',
    outcome: { code: ErrorCode.BadRequest },
    act: async (ctx) => [
      await ctx.begin({ size: '1000' }),
      await ctx.begin({ size: -1 }),
      await ctx.begin({ size: 1000.5 }),
      await ctx.begin({ size: Number.NaN }), // JSON sends null
      await ctx.begin({ size: 2 ** 53 }),
      await ctx.begin({ size: { $gt: 0 } }),
    ],
  },
  {
    rule: 'UP1',
    does: 'refuses a file name over 255 characters, a name that is not text and an overlong type',
    outcome: { code: ErrorCode.BadRequest },
    act: async (ctx) => [
      await ctx.begin({ name: `${'a'.repeat(252)}.jpg` }),
      await ctx.begin({ name: { $regex: '.*' } }),
      await ctx.begin({ type: `image/${'x'.repeat(100)}` }),
    ],
  },
  {
    rule: 'UP2',
    does: 'drops the connection of a client that sends a 10 MB caption (above maxHttpBufferSize)',
    outcome: { disconnected: true },
    async act(ctx) {
      const gone = disconnection(ctx.socket, 5000);
      // No ack: the request never reaches a handler, so there is nothing to wait for but the drop.
      const raw = ctx.socket as unknown as { emit(event: string, payload: unknown): void };
      raw.emit('upload:begin', {
        clientUploadId: nextId(),
        name: 'photo.jpg',
        size: 1000,
        type: 'image/jpeg',
        caption: 'x'.repeat(10 * MB),
        author: '',
      });
      expect(await gone).toMatch(/transport (close|error)/);
      return [];
    },
  },
  {
    rule: 'UP2',
    does: 'drops the connection of a client that sends a 600 KB chunk (above maxHttpBufferSize), leaving its upload resumable',
    outcome: { disconnected: true },
    async act(ctx) {
      const png = await realPng();
      const clientUploadId = nextId();
      const { uploadId } = expectOpen(await ctx.begin({ clientUploadId, size: 2 * MB }), 'begin');
      expect(code(await ctx.chunk(uploadId, 0, png.subarray(0, 1000)))).toBe('ok');
      const gone = disconnection(ctx.socket, 5000);
      const raw = ctx.socket as unknown as { emit(event: string, payload: unknown): void };
      raw.emit('upload:chunk', { uploadId, offset: 1000, data: Buffer.alloc(600 * 1024, 0x41) });
      expect(await gone).toMatch(/transport (close|error)/);
      expect((await collect(ctx.server.store.readUpload(uploadId))).equals(png.subarray(0, 1000))).withContext('nothing of it written').toBeTrue();
      // UP1: the guest comes back, begins again to learn the offset, and gives up the protocol's way.
      const back = await ctx.reconnect();
      const resumed = await ctx.begin({ clientUploadId, size: 2 * MB }, back);
      expect(resumed).toEqual({ ok: true, value: jasmine.objectContaining({ state: 'open', uploadId, offset: 1000 }) });
      expect(code(await ctx.abort(uploadId, back))).toBe('ok');
      return [];
    },
  },

  // ---- chunk shape (UP2) --------------------------------------------------------------------
  badChunkCase('refuses chunk data sent as a string', '\x89PNG\r\n\x1a\n' + 'A'.repeat(100)),
  badChunkCase('refuses chunk data sent as an array of numbers', [...PNG_SIGNATURE]),
  badChunkCase('refuses chunk data sent as a number', 137),
  badChunkCase('refuses chunk data sent as an object posing as a Buffer', { type: 'Buffer', data: [...PNG_SIGNATURE] }),
  badChunkCase('refuses an empty chunk', Buffer.alloc(0)),
  badChunkCase('refuses chunk data forged as a Socket.IO attachment placeholder', { _placeholder: true, num: 0 }),
  {
    rule: 'UP2',
    does: 'refuses a chunk one byte over CHUNK_SIZE (still under the socket limit)',
    outcome: { code: ErrorCode.BadRequest },
    async act(ctx) {
      const big = Buffer.concat([PNG_SIGNATURE, Buffer.alloc(CHUNK_SIZE + 1 - PNG_SIGNATURE.length, 7)]);
      const uploadId = await ctx.open(CHUNK_SIZE * 2);
      const reply = await ctx.chunk(uploadId, 0, big);
      expect((await ctx.server.store.getUpload(uploadId))?.received).withContext('nothing written').toBe(0);
      expect(code(await ctx.abort(uploadId))).toBe('ok');
      return reply;
    },
  },
  badOffsetCase('refuses a negative chunk offset', -1),
  badOffsetCase('refuses a NaN chunk offset (sent as null)', Number.NaN),
  badOffsetCase('refuses a fractional chunk offset', 0.5),
  badOffsetCase('refuses a chunk offset sent as a string', '0'),
  {
    rule: 'UP2',
    does: 'refuses $-operators as uploadId in chunk, commit and abort with {code}, leaving the open upload alone',
    outcome: { code: ErrorCode.BadRequest },
    async act(ctx) {
      const png = await realPng();
      const uploadId = await ctx.open(png.length);
      expect(code(await ctx.chunk(uploadId, 0, png.subarray(0, 1000)))).toBe('ok');
      const replies = [
        await request(ctx.socket, 'upload:chunk', { uploadId: { $ne: null }, offset: 1000, data: png.subarray(1000, 2000) }),
        await request(ctx.socket, 'upload:chunk', { uploadId: '$where_this.size', offset: 1000, data: png.subarray(1000, 2000) }),
        await ctx.commit({ $gt: '' }),
        await ctx.commit({ $regex: '^' }),
        await ctx.abort({ $ne: 'x' }),
        await ctx.abort('../uploads/x'),
        await request(ctx.socket, 'upload:abort', { uploadId: [uploadId] }),
      ];
      const upload = await ctx.server.store.getUpload(uploadId);
      expect(upload?.received).withContext('the real upload is untouched').toBe(1000);
      expect(code(await ctx.abort(uploadId))).toBe('ok');
      return replies;
    },
  },
];
