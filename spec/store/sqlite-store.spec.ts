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
