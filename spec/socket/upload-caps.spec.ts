/** UP19: what every guest together may hold open, and how fast one guest may begin. */
import { embeddedOnly } from '../fixtures/spec-store';
import { CHUNK_SIZE, ErrorCode, type Result, type UploadBeginReply } from '@photobook/shared';
import { BEGIN_LIMITS } from '../../server/limits/request-limiter';
import { beginUpload, filesUnder, guestCookie, request, sendChunks, useServerWithGuests } from '../fixtures/server';

const MB = 1024 * 1024;
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
const junk = (bytes: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(bytes - 4, 7)]);

describe('upload caps (UP19)', () => {
  describe('with a 3 MB cap for all partial uploads', () => {
    const suite = useServerWithGuests({ config: { partialUploadsMaxBytes: 3 * MB } });

    it('answers SERVER_BUSY once new cookies reach the total cap, keeps partial bytes under it, and admits again after an abort', async () => {
      const opened: Array<{ socket: Awaited<ReturnType<typeof suite.connect>>; id: string }> = [];
      const replies: string[] = [];
      for (let i = 0; i < 6; i++) {
        const socket = await suite.connect(guestCookie().cookie); // a new guest every time
        const begin = await request<UploadBeginReply>(socket, 'upload:begin', { clientUploadId: `cap-guest-${i}-x`, name: 'a.jpg', size: MB, type: 'image/jpeg' });
        replies.push(code(begin));
        if (begin.ok && begin.value.state === 'open') opened.push({ socket, id: begin.value.uploadId });
      }
      expect(replies).toEqual(['ok', 'ok', 'ok', ErrorCode.ServerBusy, ErrorCode.ServerBusy, ErrorCode.ServerBusy]);
      for (const { socket, id } of opened) expect(code(await sendChunks(socket, id, junk(MB)))).toBe('ok');
      embeddedOnly('measures the part files in DATA_DIR');
      const { stat } = await import('node:fs/promises');
      const files = await filesUnder(`${suite.server.dataDir}/uploads`);
      let used = 0;
      for (const f of files) used += (await stat(`${suite.server.dataDir}/uploads/${f}`)).size;
      expect(used).toBeLessThanOrEqual(3 * MB);
      expect(code(await request(opened[0]!.socket, 'upload:abort', { uploadId: opened[0]!.id }))).toBe('ok');
      const later = await suite.connect(guestCookie().cookie);
      expect(code(await request(later, 'upload:begin', { clientUploadId: 'cap-guest-late', name: 'b.jpg', size: MB, type: 'image/jpeg' }))).toBe('ok');
    });

    it('still lets an admitted upload resume when the cap is reached', async () => {
      const first = await suite.connect(guestCookie().cookie);
      const id = await beginUpload(first, 'cap-resume-01', 3 * MB);
      await sendChunks(first, id, junk(3 * MB), 0, CHUNK_SIZE);
      const again = await request<UploadBeginReply>(first, 'upload:begin', { clientUploadId: 'cap-resume-01', name: 'a.png', size: 3 * MB, type: 'image/png' });
      expect(again.ok && again.value.state === 'open' && again.value.offset).toBe(CHUNK_SIZE);
    });
  });

  describe('begins per guest', () => {
    const suite = useServerWithGuests();

    it(`answers RATE_LIMITED past ${BEGIN_LIMITS.perGuest.requests} begins a minute from one guest, and not for another guest`, async () => {
      const guest = await suite.connect(guestCookie().cookie);
      const begin = (socket: typeof guest) =>
        request(socket, 'upload:begin', { clientUploadId: 'rate-limited-1', name: 'a.jpg', size: 1000, type: 'image/jpeg' });
      const replies = [];
      for (let i = 0; i < BEGIN_LIMITS.perGuest.requests; i++) replies.push(code(await begin(guest)));
      expect(replies.every((r) => r === 'ok')).toBeTrue();
      expect(code(await begin(guest))).toBe(ErrorCode.RateLimited);
      expect(code(await begin(await suite.connect(guestCookie().cookie)))).toBe('ok');
    });
  });
});
