/**
 * The store contract against MongoDB: MONGODB_URI, a real replica set (mongodb-memory-server), or
 * FerretDB here (spec/fixtures/mongo-server.ts picks). Each case gets a database of its own.
 */
import { MongoClient } from 'mongodb';
import { MongoStore } from '../../server/store/mongo/mongo-store';
import type { Store } from '../../server/store/types';
import { MONGO_START_TIMEOUT_MS, mongoTarget } from '../fixtures/mongo-server';
import { dropDatabase } from '../fixtures/spec-store';
import { describeStoreContract } from './store-contract';

const OPTIONS = { reserveBytes: 256 * 1024 * 1024 };

describeStoreContract(
  'MongoDB (GridFS)',
  async () => {
    const target = await mongoTarget();
    if (!target) {
      pending('SKIPPED: no MongoDB-wire server (see the SKIPPED line above)');
      throw new Error('unreachable');
    }
    const database = target.newDatabaseName('contract');
    const open = () => MongoStore.open(target.uri, { ...OPTIONS, database });
    const stores: Store[] = [];
    let current: Store = await open();
    stores.push(current);
    return {
      get store() {
        return current;
      },
      async reopen() {
        await current.close();
        current = await open();
        stores.push(current);
        return current;
      },
      async another() {
        const other = await open();
        stores.push(other);
        return other;
      },
      async forgetUploadAddresses() {
        // Documents written before the field existed simply lack it.
        const client = new MongoClient(target.uri, { serverSelectionTimeoutMS: 5_000 });
        try {
          await client.db(database).collection('uploads').updateMany({}, { $unset: { addressKey: '' } });
        } finally {
          await client.close();
        }
      },
      async cleanup() {
        for (const s of stores) await s.close().catch(() => undefined);
        await dropDatabase(target.uri, database);
      },
    };
  },
  MONGO_START_TIMEOUT_MS,
);

describe('the MongoDB store, reading its free room', () => {
  it('sends one dbStats for everyone who asks while one is under way or for a second after, and a new one then', async () => {
    const target = await mongoTarget();
    if (!target) return pending('SKIPPED: no MongoDB-wire server (see the SKIPPED line above)');
    const database = target.newDatabaseName('room');
    const store = await MongoStore.open(target.uri, { ...OPTIONS, database });
    try {
      // 50 uploads' chunks asking at once made 50 dbStats, and FerretDB failed some of them under the load.
      const first = store.storage();
      expect(store.storage()).toBe(first);
      expect((await first).reserveBytes).toBe(OPTIONS.reserveBytes);
      expect(store.storage()).toBe(first);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const later = store.storage();
      expect(later).not.toBe(first);
      await later;
    } finally {
      await store.close();
      await dropDatabase(target.uri, database);
    }
  }, MONGO_START_TIMEOUT_MS);
});
