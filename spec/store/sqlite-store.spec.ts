import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../server/store/embedded/sqlite-store';
import type { PhotoStore } from '../../server/store/types';
import { describeStoreContract } from './store-contract';

describeStoreContract('embedded (SQLite + files)', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-store-'));
  let current: PhotoStore = await SqliteStore.open(dir);
  return {
    get store() {
      return current;
    },
    async reopen() {
      await current.close();
      current = await SqliteStore.open(dir);
      return current;
    },
    async cleanup() {
      await current.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
});

describe('the embedded store after a crash', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-orphans-'));
    store = await SqliteStore.open(dir);
  });
  afterEach(async () => {
    await store.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('sweeps part files without an upload, torn temp files and unreferenced blobs, once they are old', async () => {
    const stray = [
      path.join(dir, 'uploads', 'goneUpload01.part'),
      path.join(dir, 'media', 'ab', `ab${'0'.repeat(62)}.webp.123456.tmp`),
      path.join(dir, 'media', 'cd', `cd${'1'.repeat(62)}.webp`),
    ];
    for (const file of stray) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, 'left behind');
    }
    expect(await store.sweepOrphans(Date.now() - 60_000)).toBe(0);
    expect(await store.sweepOrphans(Date.now() + 1_000)).toBe(3);
    for (const file of stray) await expectAsync(fs.stat(file)).toBeRejected();
  });
});
