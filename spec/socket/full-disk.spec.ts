/**
 * UP18 on a real, small file system: a tmpfs fills with uploads until the server answers
 * STORAGE_FULL (at begin, then at a chunk once another program takes space), then to the last
 * byte; aborting frees space at once, and the server takes photos again without anybody's help.
 * Needs root (mount); CI runs as root.
 */
import { embeddedOnly } from '../fixtures/spec-store';
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CHUNK_SIZE, ErrorCode, type PhotoDto, type Result } from '@photobook/shared';
import type { Logger } from '../../server/errors';
import { noisyJpeg } from '../fixtures/hostile-files';
import { beginUpload, connectClient, guestCookie, request, sendChunks, startTestServer, uploadFile, type TestServer, type TestSocket } from '../fixtures/server';

const MB = 1024 * 1024;
const isRoot = process.getuid?.() === 0;
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Random bytes behind a JPEG signature: accepted chunk by chunk, never committed. */
const junkJpeg = (bytes: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(bytes - 4)]);

/** Read streams close a moment after a response ends; umount needs every file closed. */
async function untilClosed(dir: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = (await fs.readdir('/proc/self/fd')).some((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
      } catch {
        return false;
      }
    });
    if (!open) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a full disk, for real (UP18)', () => {
  let mountPoint: string;
  let server: TestServer | null = null;
  let socket: TestSocket;
  const warnings: string[] = [];

  beforeAll(async () => {
    if (!isRoot) return;
    mountPoint = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint]);
  });

  afterAll(async () => {
    if (!isRoot) return;
    socket?.disconnect();
    await server?.stop();
    await untilClosed(mountPoint);
    execFileSync('umount', [mountPoint]);
    await fs.rm(mountPoint, { recursive: true, force: true });
  });

  it('refuses uploads with STORAGE_FULL above the reserve, frees space on abort, and takes photos again by itself', async () => {
    embeddedOnly('fills the tmpfs that holds DATA_DIR');
    if (!isRoot) {
      console.log('SKIPPED: the real full-disk spec needs root to mount a tmpfs (CI runs as root)');
      return pending('needs root to mount a tmpfs');
    }
    const logger: Logger = { info() {}, warn: (m) => warnings.push(m), error() {} };
    server = await startTestServer({
      dataDir: path.join(mountPoint, 'data'),
      logger,
      config: { maxUploadsPerGuest: 20 },
      store: { reserveBytes: 4 * MB, syncWrites: true },
    });
    socket = await connectClient(server.url, { cookie: guestCookie().cookie });

    // Two photos before the disk fills: their served bytes must not change.
    const earlier: PhotoDto[] = [];
    for (const size of [[400, 300], [300, 400]] as const) {
      const r = await uploadFile(socket, await noisyJpeg(...size));
      if (!r.ok) throw new Error(r.error.code);
      earlier.push(r.value);
    }
    const served = async () => Promise.all(earlier.map(async (p) => sha(Buffer.from(await (await fetch(server!.url + p.displayUrl)).arrayBuffer()))));
    const before = await served();


    // Two 7 MB uploads fit beside each other; a third would not, so its begin waits (admission).
    const junk = [junkJpeg(7 * MB), junkJpeg(7 * MB)];
    const ids = [await beginUpload(socket, 'fill-disk-00', junk[0]!.length), await beginUpload(socket, 'fill-disk-01', junk[1]!.length)];
    const third = await request(socket, 'upload:begin', { clientUploadId: 'fill-disk-02', name: 'c.jpg', size: 7 * MB, type: 'image/jpeg' });
    expect(code(third)).toBe(ErrorCode.StorageFull);
    // The log line follows the reply (it reads the free space first).
    for (let i = 0; i < 50 && !warnings.some((w) => /storage full/.test(w)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(warnings.some((w) => /storage full/.test(w))).withContext('the host is told').toBeTrue();
    expect(code(await sendChunks(socket, ids[0]!, junk[0]!))).toBe('ok');

    // Another program takes 6 MB: the second upload's chunks stop at the reserve, on a chunk boundary.
    const filler = path.join(mountPoint, 'filler');
    await fs.writeFile(filler, Buffer.alloc(6 * MB));
    expect(code(await sendChunks(socket, ids[1]!, junk[1]!))).toBe(ErrorCode.StorageFull);
    const stuck = (await server.store.getUpload(ids[1]!))!;
    expect(stuck.received % CHUNK_SIZE).withContext('only whole chunks were acknowledged').toBe(0);
    const onDisk = (await fs.stat(path.join(server.dataDir, 'uploads', `${ids[1]}.part`))).size;
    expect(onDisk).withContext('bytes on disk equal the bytes acknowledged').toBe(stuck.received);

    // It then takes the last free byte: SQLite itself can no longer grow, yet an abort works.
    await fs.appendFile(filler, Buffer.alloc(64 * MB)).catch((e: NodeJS.ErrnoException) => expect(e.code).toBe('ENOSPC'));
    expect(code(await request(socket, 'upload:abort', { uploadId: ids[0] }))).withContext('abort on a full disk').toBe('ok');
    expect(await server.store.getUpload(ids[0]!)).toBeNull();
    await fs.rm(filler);

    // Nobody helps: the stuck upload continues from its offset and a new photo goes through.
    expect(code(await sendChunks(socket, ids[1]!, junk[1]!, stuck.received))).toBe('ok');
    expect(code(await request(socket, 'upload:abort', { uploadId: ids[1] }))).toBe('ok');
    const after = await uploadFile(socket, await noisyJpeg(500, 400));
    expect(code(after)).toBe('ok');
    expect(await served()).withContext('earlier photos are byte-identical').toEqual(before);
    expect((await server.store.listPhotos(10)).length).toBe(3);
  });
});
