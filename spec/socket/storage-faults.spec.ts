/**
 * Failed writes through a real server whose disk fails on purpose (spec/fixtures/faulty-disk.ts):
 * acks mean durable, a failure of the server keeps what the guest already sent (UP17), and a full
 * disk is a state the server leaves by itself (UP18).
 */
import { collect } from '../../server/store/blob-body';
import { CHUNK_SIZE, ErrorCode, type PhotoDto, type Result } from '@photobook/shared';
import type { Logger } from '../../server/errors';
import { FaultyDisk } from '../fixtures/faulty-disk';
import { noisyJpeg } from '../fixtures/hostile-files';
import {
  beginUpload,
  connectClient,
  filesUnder,
  guestCookie,
  request,
  sendChunks,
  startTestServer,
  type TestServer,
  type TestSocket,
} from '../fixtures/server';

const MB = 1024 * 1024;
const RESERVE = 4 * MB;
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

describe('storage faults (UP17, UP18)', () => {
  let server: TestServer;
  let disk: FaultyDisk;
  let socket: TestSocket;
  let photo: Buffer;
  let lines: Array<{ level: string; message: string }>;
  let skew = 0;

  beforeAll(async () => {
    photo = await noisyJpeg(1200, 900); // a few chunks
    expect(photo.length).toBeGreaterThan(2 * CHUNK_SIZE);
  });

  beforeEach(async () => {
    disk = new FaultyDisk();
    lines = [];
    skew = 0;
    const record = (level: string) => (message: string) => lines.push({ level, message });
    const logger: Logger = { info: record('info'), warn: record('warn'), error: record('error') };
    server = await startTestServer({
      // disk.freeBytes fakes a disk that fills at once: every chunk reads it (the server trusts a
      // roomy reading for up to a second, far above the reserve: spec/unit/room-gauge.spec.ts).
      store: { disk, reserveBytes: RESERVE, syncWrites: true, roomCheckMs: 0 },
      logger,
      now: () => Date.now() + skew,
    });
    socket = await connectClient(server.url, { cookie: guestCookie().cookie });
  });

  afterEach(async () => {
    socket.disconnect();
    await server.close();
  });

  const chunkAt = (uploadId: string, offset: number) =>
    request<{ offset: number }>(socket, 'upload:chunk', { uploadId, offset, data: photo.subarray(offset, offset + CHUNK_SIZE) });
  const received = async (uploadId: string) => (await server.store.getUpload(uploadId))?.received;
  const commit = (uploadId: string) => request<PhotoDto>(socket, 'upload:commit', { uploadId });

  for (const fault of [
    { name: 'ENOSPC on the write', fault: { op: 'write', code: 'ENOSPC' }, expected: ErrorCode.StorageFull },
    { name: 'EIO on the write', fault: { op: 'write', code: 'EIO' }, expected: ErrorCode.Internal },
    { name: 'a short write', fault: { op: 'write', short: 1000 }, expected: ErrorCode.Internal },
    { name: 'EIO on fsync', fault: { op: 'sync', code: 'EIO' }, expected: ErrorCode.Internal },
  ] as const) {
    it(`UP17: acknowledges no byte of a chunk that met ${fault.name}, and takes the same chunk again afterwards`, async () => {
      const uploadId = await beginUpload(socket, 'fault-chunk-01', photo.length);
      expect(code(await chunkAt(uploadId, 0))).toBe('ok');
      disk.fail({ ...fault.fault, path: /\.part$/, times: 1 });
      const failed = await chunkAt(uploadId, CHUNK_SIZE);
      expect(code(failed)).toBe(fault.expected);
      expect(disk.fired.length).withContext('the fault fired').toBe(1);
      expect(await received(uploadId)).withContext('nothing of the failed chunk counts').toBe(CHUNK_SIZE);

      expect(code(await sendChunks(socket, uploadId, photo, CHUNK_SIZE))).toBe('ok');
      expect((await collect(server.store.readUpload(uploadId))).equals(photo)).withContext('bytes held equal bytes sent').toBeTrue();
      expect(code(await commit(uploadId))).toBe('ok');
    });
  }

  it('UP17: logs a failed write with its cause for the host, and tells the guest only the code', async () => {
    const uploadId = await beginUpload(socket, 'fault-chunk-02', photo.length);
    disk.fail({ op: 'write', code: 'EIO', path: /\.part$/, times: 1 });
    const failed = await chunkAt(uploadId, 0);
    expect(!failed.ok && failed.error.message).not.toContain('EIO');
    expect(lines.some((l) => l.level === 'error')).toBeTrue();
  });

  for (const fault of [
    { name: 'EIO on renaming an image into place', fault: { op: 'rename', code: 'EIO' }, expected: ErrorCode.Internal },
    { name: 'ENOSPC on writing an image', fault: { op: 'write', code: 'ENOSPC', path: /\.tmp$/ }, expected: ErrorCode.StorageFull },
  ] as const) {
    it(`UP17: keeps a fully sent upload when its commit meets ${fault.name}, so the retried commit sends no byte again`, async () => {
      const uploadId = await beginUpload(socket, 'fault-commit-1', photo.length);
      expect(code(await sendChunks(socket, uploadId, photo))).toBe('ok');
      disk.fail({ ...fault.fault, times: 1 });
      expect(code(await commit(uploadId))).toBe(fault.expected);
      expect(await received(uploadId)).toBe(photo.length);
      expect(await server.store.listPhotos(10)).toEqual([]);

      const retried = await commit(uploadId);
      expect(code(retried)).toBe('ok');
      expect((await server.store.listPhotos(10)).map((p) => p.id)).toEqual([retried.ok ? retried.value.id : '']);
      expect(await server.store.getUpload(uploadId)).toBeNull();
      expect(await filesUnder(`${server.dataDir}/uploads`)).toEqual([]);
      // The failed attempt's blobs are either reused by the retry or finished by the sweep.
      skew = 60 * 60_000;
      await server.app.uploads.sweep();
      const referenced = new Set((await server.store.listPhotos(10)).flatMap((p) => p.variants.map((v) => v.key)));
      expect((await filesUnder(`${server.dataDir}/media`)).filter((f) => !referenced.has(f))).toEqual([]);
    });
  }

  it('UP18: below the reserve, refuses begins and chunks with STORAGE_FULL, and commits too, keeping the upload', async () => {
    const uploadId = await beginUpload(socket, 'fault-full-001', photo.length);
    expect(code(await chunkAt(uploadId, 0))).toBe('ok');
    disk.freeBytes = RESERVE + CHUNK_SIZE / 2;
    expect(code(await chunkAt(uploadId, CHUNK_SIZE))).toBe(ErrorCode.StorageFull);
    const begin = await request(socket, 'upload:begin', { clientUploadId: 'fault-full-002', name: 'a.jpg', size: photo.length, type: 'image/jpeg' });
    expect(code(begin)).toBe(ErrorCode.StorageFull);
    expect(await server.store.countUploads((await server.store.getUpload(uploadId))!.ownerId)).withContext('no record for the refused begin').toBe(1);

    disk.freeBytes = null;
    expect(code(await sendChunks(socket, uploadId, photo, CHUNK_SIZE))).toBe('ok');
    disk.freeBytes = RESERVE + 1000;
    expect(code(await commit(uploadId))).toBe(ErrorCode.StorageFull);
    expect(await received(uploadId)).toBe(photo.length);
    disk.freeBytes = null;
    expect(code(await commit(uploadId))).toBe('ok');
  });

  it('UP18: admits a new upload only if it fits beside what open uploads still expect, so admitted ones can finish', async () => {
    const first = await beginUpload(socket, 'fault-admit-01', photo.length);
    disk.freeBytes = RESERVE + photo.length + CHUNK_SIZE;
    const second = await request(socket, 'upload:begin', { clientUploadId: 'fault-admit-02', name: 'b.jpg', size: photo.length, type: 'image/jpeg' });
    expect(code(second)).toBe(ErrorCode.StorageFull);
    const resumed = await request(socket, 'upload:begin', { clientUploadId: 'fault-admit-01', name: 'a.png', size: photo.length, type: 'image/png' });
    expect(code(resumed)).withContext('an admitted upload resumes').toBe('ok');
    expect(code(await sendChunks(socket, first, photo))).toBe('ok');
  });

  it('UP18: says once in the log that uploads wait for space, and once that they flow again', async () => {
    const uploadId = await beginUpload(socket, 'fault-full-003', photo.length);
    disk.freeBytes = RESERVE;
    for (let i = 0; i < 3; i++) expect(code(await chunkAt(uploadId, 0))).toBe(ErrorCode.StorageFull);
    await server.app.uploads.sweep();
    disk.freeBytes = null;
    await server.app.uploads.sweep();
    expect(code(await chunkAt(uploadId, 0))).toBe('ok');
    const said = lines.filter((l) => /storage/.test(l.message)).map((l) => l.level);
    expect(said).toEqual(['warn', 'info']);
    expect(server.app.uploads.storage.full).toBeFalse();
  });

  it('UP18: aborts and the sweep still work on a full disk, and free the bytes they delete', async () => {
    const kept = await beginUpload(socket, 'fault-full-004', photo.length);
    const aborted = await beginUpload(socket, 'fault-full-005', photo.length);
    for (const id of [kept, aborted]) expect(code(await chunkAt(id, 0))).toBe('ok');
    disk.freeBytes = 0;
    expect(code(await request(socket, 'upload:abort', { uploadId: aborted }))).toBe('ok');
    expect(await server.store.getUpload(aborted)).toBeNull();
    skew = 60 * 60_000; // past the idle timeout
    expect(await server.app.uploads.sweep()).toBe(1);
    expect(await filesUnder(`${server.dataDir}/uploads`)).toEqual([]);
  });

  it('UP18: keeps an upload that waits for room past the idle timeout while its guest keeps asking', async () => {
    const beginAgain = () =>
      request<{ state: string; offset: number }>(socket, 'upload:begin', {
        clientUploadId: 'fault-wait-001', name: 'a.png', size: photo.length, type: 'image/png', caption: '', author: '',
      });
    const uploadId = await beginUpload(socket, 'fault-wait-001', photo.length);
    expect(code(await chunkAt(uploadId, 0))).toBe('ok');
    disk.freeBytes = RESERVE;
    for (const minutes of [10, 20, 30]) {
      skew = minutes * 60_000;
      expect(code(await beginAgain())).toBe(ErrorCode.StorageFull);
    }
    expect(await server.app.uploads.sweep()).toBe(0);
    disk.freeBytes = null;
    const resumed = await beginAgain();
    expect(resumed.ok && resumed.value.offset).withContext('resumes where it was').toBe(CHUNK_SIZE);
  });

  it('UP18: keeps a fully sent upload whose commit waits for room past the idle timeout', async () => {
    const uploadId = await beginUpload(socket, 'fault-wait-002', photo.length);
    expect(code(await sendChunks(socket, uploadId, photo))).toBe('ok');
    disk.freeBytes = RESERVE;
    for (const minutes of [10, 20, 30]) {
      skew = minutes * 60_000;
      expect(code(await commit(uploadId))).toBe(ErrorCode.StorageFull);
    }
    expect(await server.app.uploads.sweep()).toBe(0);
    disk.freeBytes = null;
    expect(code(await commit(uploadId))).toBe('ok');
  });

  it('UP17: drops the bytes of a chunk whose fsync failed even when cutting them back fails too', async () => {
    const uploadId = await beginUpload(socket, 'fault-chunk-03', photo.length);
    expect(code(await chunkAt(uploadId, 0))).toBe('ok');
    disk.fail({ op: 'sync', path: /\.part$/, times: 1 }).fail({ op: 'truncate', path: /\.part$/, times: 1 });
    expect(code(await chunkAt(uploadId, CHUNK_SIZE))).toBe(ErrorCode.Internal);
    expect(await received(uploadId)).withContext('never more than what was durably acked').toBeLessThanOrEqual(CHUNK_SIZE);
    expect(code(await sendChunks(socket, uploadId, photo, (await received(uploadId))!))).toBe('ok');
    expect((await collect(server.store.readUpload(uploadId))).equals(photo)).toBeTrue();
  });

  it('UP17: counts nothing of a first chunk whose directory entry could not be synced', async () => {
    const uploadId = await beginUpload(socket, 'fault-chunk-04', photo.length);
    disk.fail({ op: 'sync', path: /uploads$/, times: 1 });
    expect(code(await chunkAt(uploadId, 0))).toBe(ErrorCode.Internal);
    expect(await received(uploadId)).toBe(0);
    expect(code(await chunkAt(uploadId, 0))).toBe('ok');
  });

  it('UP18: the sweep deletes every other expired upload when one cannot be deleted', async () => {
    const ids = [];
    for (const n of [1, 2, 3]) {
      const id = await beginUpload(socket, `fault-sweep-00${n}`, photo.length);
      expect(code(await chunkAt(id, 0))).toBe('ok');
      ids.push(id);
    }
    disk.fail({ op: 'rm', code: 'EIO', path: new RegExp(`${ids[1]}\\.part$`) });
    skew = 60 * 60_000;
    expect(await server.app.uploads.sweep()).toBe(2);
    expect(await received(ids[1]!)).toBe(CHUNK_SIZE);
    expect(lines.some((l) => l.level === 'error' && /expired upload/.test(l.message))).toBeTrue();
    disk.clear();
    expect(await server.app.uploads.sweep()).toBe(1);
  });
});
