import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { nodeDisk } from '../../server/store/embedded/disk';
import { OpenParts } from '../../server/store/embedded/open-parts';
import { PartFiles } from '../../server/store/embedded/part-files';
import { SqliteStore } from '../../server/store/embedded/sqlite-store';

/** Descriptors this process holds (Linux; the count is what must stay bounded). */
const openFds = async () => (await fs.readdir('/proc/self/fd')).length;
const noRoomCheck = async () => undefined;

describe('part files held open between chunks', () => {
  let dir: string;
  let parts: PartFiles;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-parts-'));
    parts = new PartFiles(nodeDisk, dir, false, new OpenParts({ max: 4, idleMs: 100 }));
  });

  afterEach(async () => {
    await parts.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps the number of open handles bounded however many uploads write', async () => {
    const before = await openFds();
    for (let i = 0; i < 40; i++) {
      expect(await parts.append(`upload-${i}`, 0, Buffer.from('abc'), noRoomCheck)).toBe(3);
      expect(await parts.append(`upload-${i}`, 3, Buffer.from('def'), noRoomCheck)).toBe(6);
      expect(parts.openCount).toBeLessThanOrEqual(4);
    }
    expect(await openFds()).toBeLessThanOrEqual(before + 4);
    // An upload whose handle was closed goes on from the size of its file.
    expect(await parts.append('upload-0', 6, Buffer.from('ghi'), noRoomCheck)).toBe(9);
    expect(await fs.readFile(path.join(dir, 'upload-0.part'), 'utf8')).toBe('abcdefghi');
  });

  it('answers the received count and last write from the open handle, equal to the file', async () => {
    await parts.append('upload-a', 0, Buffer.from('abcdef'), noRoomCheck);
    expect(await parts.append('upload-a', 3, Buffer.from('xyz'), noRoomCheck)).withContext('not at the end: nothing written').toBe(6);
    const held = await parts.stat('upload-a');
    const onDisk = await fs.stat(path.join(dir, 'upload-a.part'));
    expect(held?.size).toBe(onDisk.size);
    expect(Math.abs((held?.mtimeMs ?? 0) - onDisk.mtimeMs)).toBeLessThan(1000);
  });

  it('closes an upload’s handle when it is removed, when idle, and at shutdown', async () => {
    const before = await openFds();
    for (const id of ['a', 'b', 'c']) await parts.append(id, 0, Buffer.from('x'), noRoomCheck);
    expect(parts.openCount).toBe(3);
    await parts.remove('a');
    expect(parts.openCount).toBe(2);
    expect(await parts.stat('a')).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(parts.openCount).withContext('idle handles are closed').toBe(0);
    await parts.append('d', 0, Buffer.from('x'), noRoomCheck);
    await parts.close();
    expect(parts.openCount).toBe(0);
    expect(await openFds()).toBeLessThanOrEqual(before);
  });

  it('counts nothing of a failed write and measures the file afresh for the next chunk', async () => {
    await parts.append('f', 0, Buffer.from('abc'), noRoomCheck);
    const refused = parts.append('f', 3, Buffer.from('def'), async () => Promise.reject(new Error('no room')));
    await expectAsync(refused).toBeRejected();
    expect((await parts.stat('f'))?.size).toBe(3);
    expect(await parts.append('f', 3, Buffer.from('def'), noRoomCheck)).toBe(6);
  });
});

describe('the embedded store with many open uploads', () => {
  it('holds at most 64 part files open however many uploads take chunks, and none once they are gone', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-many-'));
    const store = await SqliteStore.open(dir, { reserveBytes: 0, syncWrites: false });
    try {
      const before = await openFds();
      const ids = Array.from({ length: 100 }, (_, i) => `upload${String(i).padStart(6, '0')}`);
      for (const [i, id] of ids.entries()) {
        await store.beginUpload({
          id, ownerId: `owner-${i}`, addressKey: null, clientUploadId: `client-${i}`, name: 'a.jpg',
          size: 10, type: 'image/jpeg', caption: '', author: '', createdAt: Date.now(),
        });
        expect(await store.appendUpload(id, 0, Buffer.from('abcde'))).toBe(5);
      }
      expect(store.openPartFiles).toBe(64);
      expect(await openFds()).toBeLessThanOrEqual(before + 64);
      // An upload whose handle was closed to make room goes on from its file.
      expect(await store.appendUpload(ids[0]!, 5, Buffer.from('fghij'))).toBe(10);
      expect((await store.getUpload(ids[0]!))?.received).toBe(10);
      for (const id of ids) await store.deleteUpload(id);
      expect(store.openPartFiles).toBe(0);
      expect(await openFds()).toBeLessThanOrEqual(before);
    } finally {
      await store.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
