/** Hostile-input cases: offsets and sizes (UP4-UP7, UP9), magic bytes (UP8) and decoding (UP9). */
import { collect } from '../../../server/store/blob-body';
import { ErrorCode } from '@photobook/shared';
import { metadataBlocks } from '../../fixtures/exif';
import { HTML_AS_JPEG } from '../../fixtures/images';
import {
  PDF_DOCUMENT,
  PNG_SIGNATURE,
  SVG_WITH_SCRIPT,
  ZIP_LOCAL_HEADER,
  elfExecutable,
  ftypBox,
  gifClaiming,
  jpegClaiming,
  jpegWithLoopingExif,
  noisyGif,
  noisyJpeg,
  noisyPng,
  noisyWebp,
  pngBomb,
  pngClaiming,
  pngWithTextBomb,
  tinyTiff,
  truncated,
  webpClaiming,
  withBadCrc,
  zipArchive,
} from '../../fixtures/hostile-files';
import { sendChunks } from '../../fixtures/server';
import {
  MB,
  code,
  expectOk,
  mediaBlob,
  realPng,
  undecodableCase,
  wrongTypeCase,
  type HostileCase,
} from './harness';

export const BYTE_CASES: readonly HostileCase[] = [
  // ---- offsets and sizes (UP4-UP7, UP9) -----------------------------------------------------
  {
    rule: 'UP5',
    does: 'acks a duplicate chunk carrying forged bytes without rewriting what is held, then stores the real photo',
    outcome: { stored: true },
    async act(ctx) {
      const png = await realPng();
      const uploadId = await ctx.open(png.length);
      const first = await ctx.chunk(uploadId, 0, png.subarray(0, 4000));
      const replay = await ctx.chunk(uploadId, 0, Buffer.alloc(4000, 0x41));
      expect(replay).toEqual({ ok: true, value: { offset: 4000 } });
      expect((await collect(ctx.server.store.readUpload(uploadId))).equals(png.subarray(0, 4000))).withContext('held bytes unchanged').toBeTrue();
      const rest = await sendChunks(ctx.socket, uploadId, png, 4000);
      return [first, replay, rest, await ctx.commit(uploadId)];
    },
  },
  {
    rule: 'UP4',
    does: 'keeps only the new bytes of an overlapping chunk whose overlap is forged, then stores the real photo',
    outcome: { stored: true },
    async act(ctx) {
      const png = await realPng();
      const uploadId = await ctx.open(png.length);
      const first = await ctx.chunk(uploadId, 0, png.subarray(0, 4000));
      const forged = Buffer.concat([Buffer.alloc(2000, 0x42), png.subarray(4000, 6000)]);
      const overlap = await ctx.chunk(uploadId, 2000, forged);
      expect(overlap).toEqual({ ok: true, value: { offset: 6000 } });
      expect((await collect(ctx.server.store.readUpload(uploadId))).equals(png.subarray(0, 6000))).withContext('only new bytes kept').toBeTrue();
      const rest = await sendChunks(ctx.socket, uploadId, png, 6000);
      return [first, overlap, rest, await ctx.commit(uploadId)];
    },
  },
  {
    rule: 'UP6',
    does: 'refuses an out-of-order chunk (a gap) with {code} and expectedOffset, writing nothing',
    outcome: { code: ErrorCode.OffsetMismatch },
    async act(ctx) {
      const png = await realPng();
      const uploadId = await ctx.open(png.length);
      expect(code(await ctx.chunk(uploadId, 0, png.subarray(0, 1000)))).toBe('ok');
      const gap = await ctx.chunk(uploadId, 2000, png.subarray(2000, 3000));
      expect(gap.ok ? null : gap.error.expectedOffset).toBe(1000);
      expect((await collect(ctx.server.store.readUpload(uploadId))).equals(png.subarray(0, 1000))).withContext('nothing written').toBeTrue();
      expect(code(await ctx.abort(uploadId))).toBe('ok');
      return gap;
    },
  },
  {
    rule: 'UP7',
    does: 'cancels with {code} an upload whose chunks run past its declared size (a size lie, smaller than the file)',
    outcome: { code: ErrorCode.TooLarge },
    async act(ctx) {
      const png = await realPng();
      const uploadId = await ctx.open(1000);
      expect(code(await ctx.chunk(uploadId, 0, png.subarray(0, 1000)))).toBe('ok');
      const past = await ctx.chunk(uploadId, 1000, png.subarray(1000, 2000));
      // Deleted: the guest's next request about it finds nothing.
      expect(code(await ctx.abort(uploadId))).toBe(ErrorCode.UploadNotFound);
      return past;
    },
  },
  {
    rule: 'UP7',
    does: 'cancels with {code} an upload whose very first chunk is larger than its declared size',
    outcome: { code: ErrorCode.TooLarge },
    async act(ctx) {
      const png = await realPng();
      const uploadId = await ctx.open(100);
      return ctx.chunk(uploadId, 0, png.subarray(0, 2000));
    },
  },
  {
    rule: 'UP9',
    does: 'refuses to commit an upload that declared more bytes than it sent (a size lie, larger than the file) with {code}, keeping it resumable until aborted',
    outcome: { code: ErrorCode.UploadIncomplete },
    async act(ctx) {
      const png = await realPng();
      const uploadId = await ctx.open(png.length * 2);
      expect(code(await sendChunks(ctx.socket, uploadId, png))).toBe('ok');
      const early = await ctx.commit(uploadId);
      expect((await ctx.server.store.getUpload(uploadId))?.received).withContext('kept for resuming').toBe(png.length);
      expect(code(await ctx.abort(uploadId))).toBe('ok');
      return early;
    },
  },

  // ---- magic bytes (UP8) --------------------------------------------------------------------
  wrongTypeCase('refuses an SVG with a script', () => SVG_WITH_SCRIPT),
  wrongTypeCase('refuses HTML renamed .jpg', () => HTML_AS_JPEG),
  wrongTypeCase('refuses an ELF binary renamed .jpg', elfExecutable),
  wrongTypeCase('refuses a ZIP archive renamed .jpg', () => zipArchive({ 'index.html': '<script>alert(1)</script>' })),
  wrongTypeCase('refuses a PDF with JavaScript renamed .jpg', () => PDF_DOCUMENT),
  wrongTypeCase('refuses a real TIFF (decodable, but not an accepted type)', tinyTiff),
  wrongTypeCase('refuses an AVIF file (ftypavif)', () => ftypBox('avif', ['avif', 'mif1', 'miaf'])),
  wrongTypeCase('refuses an MP4 video (ftypisom)', () => ftypBox('isom', ['isom', 'iso2', 'mp41'])),
  wrongTypeCase('refuses a file that is only a JPEG SOI marker (FF D8: too short to be a JPEG)', () => Buffer.from([0xff, 0xd8])),
  wrongTypeCase('refuses HEIC (ftypheic) with its own code, {code}', () => ftypBox('heic', ['mif1', 'heic']), ErrorCode.HeicUnsupported),
  wrongTypeCase('refuses HEIF (ftypmif1) like HEIC', () => ftypBox('mif1', ['mif1', 'heic']), ErrorCode.HeicUnsupported),

  // ---- decoding (UP9) -----------------------------------------------------------------------
  undecodableCase('refuses a JPEG cut off half-way', async () => truncated(await noisyJpeg())),
  undecodableCase('refuses a PNG cut off half-way', async () => truncated(await noisyPng())),
  undecodableCase('refuses a GIF cut off half-way', async () => truncated(await noisyGif())),
  undecodableCase('refuses a WebP cut off half-way', async () => truncated(await noisyWebp())),
  undecodableCase('refuses a PNG whose IDAT CRC is wrong', async () => withBadCrc(await noisyPng(), 'IDAT')),
  undecodableCase('refuses a PNG whose IHDR CRC is wrong', async () => withBadCrc(await noisyPng(), 'IHDR')),
  undecodableCase('refuses a JPEG that is only SOI and EOI markers', () => Buffer.from([0xff, 0xd8, 0xff, 0xd9])),
  undecodableCase('refuses the PNG signature followed by HTML', () =>
    Buffer.concat([PNG_SIGNATURE, Buffer.from('<html><script>alert(1)</script></html>')]),
  ),
  undecodableCase(
    'refuses a 50000x50000 PNG decompression bomb from its header with {code}, without allocating its pixels',
    () => pngBomb(50_000, 50_000),
    ErrorCode.TooManyPixels,
    200,
  ),
  undecodableCase(
    'refuses a JPEG whose header claims 65000x65000 pixels',
    async () => jpegClaiming(await noisyJpeg(), 65_000, 65_000),
    ErrorCode.TooManyPixels,
    200,
  ),
  undecodableCase(
    'refuses a WebP whose header claims 16383x16383 pixels',
    async () => webpClaiming(await noisyWebp(), 16_383, 16_383),
    ErrorCode.TooManyPixels,
    200,
  ),
  undecodableCase(
    'refuses a GIF whose screen and frame claim 65535x65535 pixels',
    async () => gifClaiming(await noisyGif(16, 16), 65_535, 65_535),
    ErrorCode.TooManyPixels,
    200,
  ),
  undecodableCase('refuses a PNG whose IHDR (with a valid CRC) claims 0x0 pixels', async () => pngClaiming(await noisyPng(), 0, 0)),
  undecodableCase('refuses a JPEG whose frame header claims a height of 0', async () => jpegClaiming(await noisyJpeg(), 64, 0)),
  {
    rule: 'UP9',
    does: 'stores a JPEG+ZIP polyglot only as re-encoded variants in which no ZIP survives',
    outcome: { stored: true },
    async act(ctx) {
      const jpeg = await noisyJpeg();
      const polyglot = Buffer.concat([jpeg, zipArchive({ 'payload.html': '<script>alert(document.cookie)</script>' })]);
      expect(polyglot.includes(ZIP_LOCAL_HEADER)).withContext('the fixture is a polyglot').toBeTrue();
      const committed = await ctx.sendAndCommit(polyglot);
      const photo = expectOk(committed, 'commit');
      await ctx.server.app.archive.idle();
      const record = await ctx.server.store.getPhoto(photo.id);
      expect(record?.variants.map((v) => v.kind).sort()).toEqual(['display', 'original', 'thumb']);
      for (const variant of record?.variants ?? []) {
        const bytes = await mediaBlob(ctx.server, variant.key);
        expect(bytes.includes(ZIP_LOCAL_HEADER)).withContext(`${variant.kind} holds no ZIP`).toBeFalse();
        expect(bytes.includes(Buffer.from('<script>'))).withContext(`${variant.kind} holds no script`).toBeFalse();
        if (variant.kind === 'original') {
          // The host's copy keeps the JPEG's own bytes (no re-encode) and loses the trailer.
          expect(variant.contentType).toBe('image/jpeg');
          expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
          expect(bytes.length).toBeLessThanOrEqual(jpeg.length);
        } else {
          expect(bytes.equals(polyglot) || bytes.equals(jpeg)).withContext(`${variant.kind} is re-encoded`).toBeFalse();
        }
      }
      for (const url of [photo.displayUrl, photo.thumbUrl]) {
        const served = Buffer.from(await (await fetch(ctx.server.url + url)).arrayBuffer());
        expect(served.includes(ZIP_LOCAL_HEADER)).withContext(`${url} holds no ZIP`).toBeFalse();
      }
      return committed;
    },
  },
  {
    rule: 'UP9',
    does: 'stores a JPEG whose EXIF IFD chain loops and whose orientation is 0xffff, without any metadata',
    outcome: { stored: true },
    async act(ctx) {
      const hostile = jpegWithLoopingExif(await noisyJpeg(64, 48));
      expect(metadataBlocks(hostile)).withContext('the fixture carries EXIF').toContain('exif');
      const committed = await ctx.sendAndCommit(hostile);
      const photo = expectOk(committed, 'commit');
      expect([photo.width, photo.height]).withContext('an invalid orientation is ignored').toEqual([64, 48]);
      await ctx.server.app.archive.idle();
      const record = await ctx.server.store.getPhoto(photo.id);
      expect(record?.variants.map((v) => v.kind).sort()).toEqual(['display', 'original', 'thumb']);
      for (const variant of record?.variants ?? []) {
        const blocks = metadataBlocks(await mediaBlob(ctx.server, variant.key));
        // The host's copy may keep an EXIF block for the orientation alone; nothing else survives.
        expect(variant.kind === 'original' ? blocks.filter((b) => b !== 'exif') : blocks).withContext(variant.kind).toEqual([]);
      }
      return committed;
    },
  },
  {
    rule: 'UP9',
    does: 'stores a PNG carrying a 64 MB zTXt metadata bomb in bounded memory, keeping none of the text',
    outcome: { stored: true },
    maxRssGrowthMb: 200,
    async act(ctx) {
      const bomb = await pngWithTextBomb(await noisyPng(16, 16), 64 * MB);
      const committed = await ctx.sendAndCommit(bomb);
      const photo = expectOk(committed, 'commit');
      await ctx.server.app.archive.idle();
      const record = await ctx.server.store.getPhoto(photo.id);
      for (const variant of record?.variants ?? []) {
        expect((await mediaBlob(ctx.server, variant.key)).length).withContext(variant.kind).toBeLessThan(64 * 1024);
      }
      return committed;
    },
  },
];
