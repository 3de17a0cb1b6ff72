/** Hostile-input cases: ownership (UP11), expiry (UP12), finished uploads (UP13), limits (UP15), pause (UP16). */
import { collect } from '../../../server/store/blob-body';
import { ErrorCode } from '@photobook/shared';
import { TEST_CONFIG, sendChunks } from '../../fixtures/server';
import { HOUR, MINUTE, code, expectOpen, nextId, realPng, type HostileCase } from './harness';

export const STATE_CASES: readonly HostileCase[] = [
  // ---- ownership, expiry, limits, pause (UP11-UP16) -----------------------------------------
  {
    rule: 'UP11',
    does: "answers another guest's chunk, commit and abort with {code}, exactly like an unknown upload id",
    outcome: { code: ErrorCode.UploadNotFound },
    async act(ctx) {
      const png = await realPng();
      const clientUploadId = nextId();
      const { uploadId } = expectOpen(await ctx.begin({ clientUploadId, size: png.length }), 'begin');
      expect(code(await ctx.chunk(uploadId, 0, png.subarray(0, 1000)))).toBe('ok');
      const thief = await ctx.guest();
      // The same clientUploadId from another guest is another upload, from byte 0.
      const own = expectOpen(await ctx.begin({ clientUploadId, size: png.length }, thief), "thief's begin");
      expect(own.uploadId).not.toBe(uploadId);
      expect(own.offset).toBe(0);
      expect(code(await ctx.abort(own.uploadId, thief))).toBe('ok');
      const replies = [
        await ctx.chunk(uploadId, 1000, png.subarray(1000, 2000), thief),
        await ctx.commit(uploadId, thief),
        await ctx.abort(uploadId, thief),
        await ctx.commit('AAAAAAAAAAAAAAAAAAAAAA', thief),
      ];
      expect(new Set(replies.map((r) => (r.ok ? '' : r.error.message))).size).withContext('one message, as for an unknown id').toBe(1);
      expect((await collect(ctx.server.store.readUpload(uploadId))).equals(png.subarray(0, 1000))).withContext("the owner's bytes are untouched").toBeTrue();
      expect(code(await ctx.abort(uploadId))).toBe('ok');
      return replies;
    },
  },
  {
    rule: 'UP11',
    does: "answers another guest's chunk, commit and abort on a finished photo's id with {code}, never with the photo or UPLOAD_COMMITTED",
    outcome: { code: ErrorCode.UploadNotFound },
    makesPhoto: true,
    async act(ctx) {
      const png = await realPng();
      const clientUploadId = nextId();
      const { uploadId } = expectOpen(await ctx.begin({ clientUploadId, size: png.length }), 'begin');
      expect(code(await sendChunks(ctx.socket, uploadId, png))).toBe('ok');
      expect(code(await ctx.commit(uploadId))).toBe('ok');
      const thief = await ctx.guest();
      // UP10 is per owner: the victim's clientUploadId does not hand the thief the victim's photo.
      const own = await ctx.begin({ clientUploadId, size: png.length }, thief);
      expect(own.ok && own.value.state).toBe('open');
      if (own.ok && own.value.state === 'open') expect(code(await ctx.abort(own.value.uploadId, thief))).toBe('ok');
      return [
        await ctx.chunk(uploadId, 0, png.subarray(0, 1000), thief),
        await ctx.commit(uploadId, thief),
        await ctx.abort(uploadId, thief),
      ];
    },
  },
  {
    rule: 'UP12',
    does: 'sweeps an upload abandoned past the idle timeout, so a chunk on it afterwards gets {code}',
    outcome: { code: ErrorCode.UploadNotFound },
    async act(ctx) {
      const png = await realPng();
      const uploadId = await ctx.open(png.length);
      expect(code(await ctx.chunk(uploadId, 0, png.subarray(0, 1000)))).toBe('ok');
      ctx.advance(TEST_CONFIG.uploadIdleMs + MINUTE);
      expect(await ctx.server.app.uploads.sweep()).toBeGreaterThanOrEqual(1);
      expect(await ctx.server.partialPieces()).withContext('partial upload swept').toBe(0);
      return ctx.chunk(uploadId, 1000, png.subarray(1000, 2000));
    },
  },
  {
    rule: 'UP12',
    does: 'answers the next chunk of an upload idle past the timeout with {code} and deletes it',
    outcome: { code: ErrorCode.UploadExpired },
    async act(ctx) {
      const png = await realPng();
      const uploadId = await ctx.open(png.length);
      expect(code(await ctx.chunk(uploadId, 0, png.subarray(0, 1000)))).toBe('ok');
      ctx.advance(TEST_CONFIG.uploadIdleMs + MINUTE);
      const late = await ctx.chunk(uploadId, 1000, png.subarray(1000, 2000));
      expect(code(await ctx.abort(uploadId))).withContext('deleted on sight').toBe(ErrorCode.UploadNotFound);
      return late;
    },
  },
  {
    rule: 'UP12',
    does: 'answers the next chunk of a busy upload past its absolute deadline with {code} and deletes it',
    outcome: { code: ErrorCode.UploadExpired },
    // Idle timeout far away, so only the deadline can expire it.
    config: { uploadIdleMs: 24 * HOUR, uploadDeadlineMs: 2 * HOUR },
    async act(ctx) {
      const png = await realPng();
      const uploadId = await ctx.open(png.length);
      expect(code(await ctx.chunk(uploadId, 0, png.subarray(0, 1000)))).toBe('ok');
      ctx.advance(2 * HOUR + MINUTE);
      const late = await ctx.chunk(uploadId, 1000, png.subarray(1000, 2000));
      expect(code(await ctx.abort(uploadId))).withContext('deleted on sight').toBe(ErrorCode.UploadNotFound);
      return late;
    },
  },
  {
    rule: 'UP13',
    does: 'refuses a chunk and an abort with {code} once the upload became a photo',
    outcome: { code: ErrorCode.UploadCommitted },
    makesPhoto: true,
    async act(ctx) {
      const png = await realPng();
      const uploadId = await ctx.open(png.length);
      expect(code(await sendChunks(ctx.socket, uploadId, png))).toBe('ok');
      expect(code(await ctx.commit(uploadId))).toBe('ok');
      return [
        await ctx.chunk(uploadId, 0, png.subarray(0, 1000)),
        await ctx.chunk(uploadId, png.length, Buffer.from('trailing bytes')),
        await ctx.abort(uploadId),
      ];
    },
  },
  {
    rule: 'UP15',
    does: 'refuses a seventh open upload of one guest with {code} until the others are aborted',
    outcome: { code: ErrorCode.TooManyUploads },
    async act(ctx) {
      const clientIds = Array.from({ length: 6 }, nextId);
      const open: string[] = [];
      for (const clientUploadId of clientIds) {
        const reply = expectOpen(await ctx.begin({ clientUploadId }), 'begin');
        open.push(reply.uploadId);
      }
      const seventh = await ctx.begin();
      const resumed = expectOpen(await ctx.begin({ clientUploadId: clientIds[0] }), 'resume');
      expect(resumed.uploadId).withContext('resuming stays allowed').toBe(open[0]!);
      for (const uploadId of open) expect(code(await ctx.abort(uploadId))).toBe('ok');
      return seventh;
    },
  },
  {
    rule: 'UP15',
    does: 'lets a guest begin again once their six open uploads have expired, before any sweep',
    outcome: { allowed: true },
    async act(ctx) {
      for (let i = 0; i < 6; i++) expectOpen(await ctx.begin(), 'begin');
      ctx.advance(TEST_CONFIG.uploadIdleMs + MINUTE); // all six are now past the idle timeout: expired (UP12)
      const again = await ctx.begin();
      if (again.ok && again.value.state === 'open') expect(code(await ctx.abort(again.value.uploadId))).toBe('ok');
      // The begin that hit the limit deleted the six expired uploads on the spot; the sweeper finds none.
      expect(await ctx.server.app.uploads.sweep()).toBe(0);
      return again;
    },
  },
  {
    rule: 'UP16',
    does: "refuses a begin while the host has paused uploads with {code} and the host's message",
    outcome: { code: ErrorCode.UploadsPaused },
    async act(ctx) {
      expect(code(await ctx.server.app.settings.pauseUploads('Speeches'))).toBe('ok');
      const paused = await ctx.begin();
      expect(paused.ok ? null : paused.error.message).toBe('Speeches');
      expect(code(await ctx.server.app.settings.resumeUploads())).toBe('ok');
      return paused;
    },
  },
  {
    rule: 'UP16',
    does: 'refuses a commit while paused with {code} but keeps the bytes until the guest aborts',
    outcome: { code: ErrorCode.UploadsPaused },
    async act(ctx) {
      const png = await realPng();
      const uploadId = await ctx.open(png.length);
      expect(code(await sendChunks(ctx.socket, uploadId, png))).toBe('ok');
      expect(code(await ctx.server.app.settings.pauseUploads('Speeches'))).toBe('ok');
      const paused = await ctx.commit(uploadId);
      expect(paused.ok ? null : paused.error.message).toBe('Speeches');
      expect((await ctx.server.store.getUpload(uploadId))?.received).withContext('bytes kept').toBe(png.length);
      expect(code(await ctx.server.app.settings.resumeUploads())).toBe('ok');
      expect(code(await ctx.abort(uploadId))).toBe('ok');
      return paused;
    },
  },
];
