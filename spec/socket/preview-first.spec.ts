/**
 * Preview first (UP22 to UP27 in spec/UPLOAD-PROTOCOL.md): the phone's display-size copy makes the
 * photo at once, and the original that follows becomes its full copy. Real clients on port 0, on
 * either store (STORE=mongo runs this file on FerretDB too).
 */
import sharp from 'sharp';
import {
  ErrorCode,
  PREVIEW_MAX_BYTES,
  type MyPhotoDto,
  type PhotoDto,
  type Result,
  type UploadBeginReply,
  type UploadPart,
  type WallSnapshot,
} from '@photobook/shared';
import { collect } from '../../server/store/blob-body';
import { toAdminPhotoDto } from '../../server/photos/dto';
import { withExif, metadataBlocks } from '../fixtures/exif';
import { HTML_AS_JPEG } from '../fixtures/images';
import { guestCookie, request, sendChunks, useServerWithGuests, type TestSocket } from '../fixtures/server';

const codeOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

/** A photo-like JPEG (a gradient with texture): compresses like a photo, not like noise or a flat fill. */
async function photoJpeg(width: number, height: number, quality = 92): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = ((x ^ y) * 37) % 256;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality }).toBuffer();
}

/** What a phone sends first: the original scaled to a 1920 px long edge. */
const previewOf = (original: Buffer) => sharp(original).autoOrient().resize(1920, 1920, { fit: 'inside' }).jpeg({ quality: 85 }).toBuffer();

async function send(socket: TestSocket, clientUploadId: string, part: UploadPart, bytes: Buffer, caption = 'Cake!'): Promise<Result<PhotoDto>> {
  const begin = await request<UploadBeginReply>(socket, 'upload:begin', {
    clientUploadId, name: 'IMG_1.jpg', size: bytes.length, type: 'image/jpeg', caption, author: 'Ana', part,
  });
  if (!begin.ok) return begin;
  if (begin.value.state === 'committed') return { ok: true, value: begin.value.photo };
  const sent = await sendChunks(socket, begin.value.uploadId, bytes, begin.value.offset);
  if (!sent.ok) return sent;
  return request<PhotoDto>(socket, 'upload:commit', { uploadId: begin.value.uploadId });
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('preview first (UP22-UP27)', () => {
  const env = useServerWithGuests();
  let original: Buffer;
  let preview: Buffer;

  beforeAll(async () => {
    // 3000x2000 with EXIF (orientation 1, GPS): big enough that a preview is a real saving.
    original = withExif(await photoJpeg(3000, 2000), 1);
    preview = await previewOf(original);
  });

  async function wall(): Promise<{ socket: TestSocket; added: PhotoDto[]; updated: PhotoDto[] }> {
    const socket = await env.connect();
    const added: PhotoDto[] = [];
    const updated: PhotoDto[] = [];
    socket.on('photo:added', (p) => added.push(p));
    socket.on('photo:updated', (p) => updated.push(p));
    await request<WallSnapshot>(socket, 'wall:join', { sinceSeq: null });
    return { socket, added, updated };
  }

  it('UP22: refuses an unknown part, and a preview larger than PREVIEW_MAX_BYTES (a whole photo that size is fine)', async () => {
    const guest = await env.connect();
    const base = { clientUploadId: 'up22-parts-1', name: 'a.jpg', type: 'image/jpeg', caption: '', author: '' };
    expect(codeOf(await request(guest, 'upload:begin', { ...base, size: 1000, part: 'thumbnail' }))).toBe(ErrorCode.BadRequest);
    expect(codeOf(await request(guest, 'upload:begin', { ...base, size: 1000, part: 7 }))).toBe(ErrorCode.BadRequest);
    expect(codeOf(await request(guest, 'upload:begin', { ...base, size: PREVIEW_MAX_BYTES + 1, part: 'preview' }))).toBe(ErrorCode.TooLarge);
    expect(codeOf(await request(guest, 'upload:begin', { ...base, size: PREVIEW_MAX_BYTES + 1, part: 'whole' }))).toBe('ok');
  });

  it('UP23: a preview makes the photo at once, on the wall, without a full copy and without an archive job', async () => {
    const screen = await wall();
    const guest = await env.connect();
    const made = await send(guest, 'up23-preview-1', 'preview', preview);
    expect(codeOf(made)).toBe('ok');
    const photo = (made as { value: PhotoDto }).value;
    expect(photo.width / photo.height).toBeCloseTo(1.5, 2);
    await until('photo:added', async () => screen.added.length === 1);
    expect(screen.added[0]!.id).toBe(photo.id);

    const mine = await request<readonly MyPhotoDto[]>(guest, 'mine:list', {});
    expect(mine.ok && mine.value.map((p) => [p.id, p.fullCopy])).toEqual([[photo.id, false]]);
    const record = (await env.server.store.getPhoto(photo.id))!;
    expect(record.variants.map((v) => v.kind).sort()).toEqual(['display', 'thumb']);
    expect(toAdminPhotoDto(record, undefined).fullCopy).withContext('the host sees the full copy is missing').toBeFalse();
    expect((await env.server.store.jobQueue()).depth).toBe(0);
  });

  it('UP23: a preview that is not an image is refused like any upload', async () => {
    const guest = await env.connect();
    expect(codeOf(await send(guest, 'up23-html-01', 'preview', HTML_AS_JPEG))).toBe(ErrorCode.UnsupportedType);
    const truncated = preview.subarray(0, Math.floor(preview.length / 2));
    const begin = await request<UploadBeginReply>(guest, 'upload:begin', {
      clientUploadId: 'up23-cut-001', name: 'a.jpg', size: truncated.length, type: 'image/jpeg', caption: '', author: '', part: 'preview',
    });
    const uploadId = begin.ok && begin.value.state === 'open' ? begin.value.uploadId : '';
    await sendChunks(guest, uploadId, truncated);
    expect(codeOf(await request(guest, 'upload:commit', { uploadId }))).toBe(ErrorCode.CorruptImage);
    expect(await env.server.store.listPhotos(10)).toEqual([]);
  });

  it('UP24: an original needs its photo; a repeated preview answers the photo; a saved full copy answers committed', async () => {
    const guest = await env.connect();
    expect(codeOf(await send(guest, 'up24-first-1', 'original', original))).toBe(ErrorCode.OriginalMismatch);
    const made = await send(guest, 'up24-first-1', 'preview', preview);
    expect(codeOf(made)).toBe('ok');
    const again = await request<UploadBeginReply>(guest, 'upload:begin', {
      clientUploadId: 'up24-first-1', name: 'a.jpg', size: preview.length, type: 'image/jpeg', caption: '', author: '', part: 'preview',
    });
    expect(again.ok && again.value.state).toBe('committed');
    expect(codeOf(await send(guest, 'up24-first-1', 'original', original))).toBe('ok');
    const done = await request<UploadBeginReply>(guest, 'upload:begin', {
      clientUploadId: 'up24-first-1', name: 'a.jpg', size: original.length, type: 'image/jpeg', caption: '', author: '', part: 'original',
    });
    expect(done.ok && done.value).toEqual(jasmine.objectContaining({ state: 'committed' }));
    expect((await env.server.store.listPhotos(10)).length).toBe(1);
  });

  it('UP24: uploads paused stop new previews, not the originals of photos already made', async () => {
    const guest = await env.connect();
    expect(codeOf(await send(guest, 'up24-pause-1', 'preview', preview))).toBe('ok');
    await env.server.store.updateSettings({ uploadsPaused: true, pauseMessage: 'Speeches!' });
    expect(codeOf(await send(guest, 'up24-pause-2', 'preview', preview))).toBe(ErrorCode.UploadsPaused);
    expect(codeOf(await send(guest, 'up24-pause-1', 'original', original))).toBe('ok');
  });

  it('UP24: an original of a removed photo, or of another guest\'s, is refused', async () => {
    const { cookie } = guestCookie();
    const guest = await env.connect(cookie);
    const made = await send(guest, 'up24-gone-01', 'preview', preview);
    const stranger = await env.connect();
    expect(codeOf(await send(stranger, 'up24-gone-01', 'original', original))).toBe(ErrorCode.OriginalMismatch);
    expect(codeOf(await request(guest, 'photo:remove', { id: made.ok ? made.value.id : '' }))).toBe('ok');
    expect(codeOf(await send(guest, 'up24-gone-01', 'original', original))).toBe(ErrorCode.OriginalMismatch);
    expect(await env.server.partialPieces()).toBe(0);
  });

  it('UP25: the original becomes the full copy: the owner hears of it, walls get no second photo, the archive keeps its pixels without metadata', async () => {
    const screen = await wall();
    const guest = await env.connect();
    const made = await send(guest, 'up25-full-01', 'preview', preview);
    const id = made.ok ? made.value.id : '';
    await request(guest, 'mine:list', {});
    const heard: MyPhotoDto[] = [];
    guest.on('mine:updated', (p) => heard.push(p));
    const gps = withExif(await photoJpeg(3000, 2000), 1);
    expect(metadataBlocks(gps)).withContext('the fixture carries GPS').toContain('gps');
    const saved = await send(guest, 'up25-full-01', 'original', gps);
    expect(saved.ok && saved.value.id).toBe(id);
    await until('mine:updated with the full copy', async () => heard.some((p) => p.id === id && p.fullCopy));
    expect(screen.added.map((p) => p.id)).toEqual([id]);
    expect(screen.updated.every((p) => p.displayUrl === (made.ok ? made.value.displayUrl : ''))).toBeTrue();

    const archived = await until('the archive copy', async () => (await env.server.store.getPhoto(id))?.variants.some((v) => v.kind === 'original'));
    expect(archived).toBeTrue();
    const copy = await collect((await env.server.store.readVariant(id, 'original'))!.body);
    expect(metadataBlocks(copy)).not.toContain('gps');
    const [a, b] = await Promise.all([sharp(copy).raw().toBuffer(), sharp(gps).raw().toBuffer()]);
    expect(a.equals(b)).withContext('the archive copy holds the original pixels').toBeTrue();
    expect((await env.server.store.getPhoto(id))!.variants.some((v) => v.kind === 'source')).toBeFalse();
  });

  it('UP25: an original of another shape than its preview is refused, and the wall keeps the preview', async () => {
    const guest = await env.connect();
    const made = await send(guest, 'up25-shape-1', 'preview', preview);
    const square = await photoJpeg(2000, 2000);
    expect(codeOf(await send(guest, 'up25-shape-1', 'original', square))).toBe(ErrorCode.OriginalMismatch);
    const record = (await env.server.store.getPhoto(made.ok ? made.value.id : ''))!;
    expect(record.state).toBe('visible');
    expect(record.variants.map((v) => v.kind).sort()).toEqual(['display', 'thumb']);
    expect(await env.server.partialPieces()).toBe(0);
  });

  it('UP25: an upright original tagged sideways matches its upright preview', async () => {
    const guest = await env.connect();
    // Stored 3000x2000 and tagged orientation 6: upright it is 2000x3000, like the phone's preview.
    const sideways = withExif(await photoJpeg(3000, 2000), 6);
    const upright = await previewOf(sideways);
    expect((await sharp(upright).metadata()).height).toBe(1920);
    expect(codeOf(await send(guest, 'up25-turn-01', 'preview', upright))).toBe('ok');
    expect(codeOf(await send(guest, 'up25-turn-01', 'original', sideways))).toBe('ok');
  });

  it('UP26: a preview whose original never comes stays on the wall, and the phone may still send it much later', async () => {
    const guest = await env.connect();
    const made = await send(guest, 'up26-later-1', 'preview', preview);
    const id = made.ok ? made.value.id : '';
    const begin = await request<UploadBeginReply>(guest, 'upload:begin', {
      clientUploadId: 'up26-later-1', name: 'a.jpg', size: original.length, type: 'image/jpeg', caption: 'Cake!', author: 'Ana', part: 'original',
    });
    const uploadId = begin.ok && begin.value.state === 'open' ? begin.value.uploadId : '';
    await sendChunks(guest, uploadId, original, 0, 300_000);
    guest.disconnect();
    expect((await env.server.store.getPhoto(id))!.state).toBe('visible');
    const back = await env.connect(guestCookieOf(guest));
    const resumed = await request<UploadBeginReply>(back, 'upload:begin', {
      clientUploadId: 'up26-later-1', name: 'a.jpg', size: original.length, type: 'image/jpeg', caption: 'Cake!', author: 'Ana', part: 'original',
    });
    expect(resumed.ok && resumed.value).toEqual(jasmine.objectContaining({ state: 'open', uploadId, offset: 300_000 }));
    expect(codeOf(await sendChunks(back, uploadId, original, 300_000))).toBe('ok');
    expect(codeOf(await request(back, 'upload:commit', { uploadId }))).toBe('ok');
    expect(toAdminPhotoDto((await env.server.store.getPhoto(id))!, undefined).fullCopy).toBeTrue();
  });
});

/** The cookie a socket connected with (the spec fixture sends it as an extra header). */
function guestCookieOf(socket: TestSocket): string {
  const headers = (socket.io.opts as { extraHeaders?: Record<string, string> }).extraHeaders;
  return headers?.['cookie'] ?? '';
}
