/**
 * What only a real replica set shows: acknowledged (majority, journaled) writes survive losing the
 * primary, an election pauses the store instead of failing it, and an upload begun before the
 * election finishes after it. Runs where a replica set exists (MONGODB_URI that is one, or
 * mongodb-memory-server with a mongod: GitHub Actions); on our machines it says SKIPPED, loudly.
 */
import { createHash } from 'node:crypto';
import { collect } from '../../server/store/blob-body';
import { MongoStore } from '../../server/store/mongo/mongo-store';
import { MONGO_START_TIMEOUT_MS, mongoReplicaSet, type MongoTarget } from '../fixtures/mongo-server';
import { newPhoto, newUpload } from './contract-fixtures';
import { dropDatabase } from '../fixtures/spec-store';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the MongoDB store on a real replica set', () => {
  let target: MongoTarget | null;
  let store: MongoStore;
  let database: string;

  beforeAll(async () => {
    target = await mongoReplicaSet();
  }, MONGO_START_TIMEOUT_MS);

  beforeEach(async () => {
    if (!target) return pending('SKIPPED: no real replica set here (see the SKIPPED line above)');
    database = target.newDatabaseName('replset');
    store = await MongoStore.open(target.uri, { reserveBytes: 0, database });
  });

  afterEach(async () => {
    if (!target) return;
    await store.close();
    await dropDatabase(target.uri, database);
  });

  it('keeps every acknowledged photo and upload byte when the primary is killed, and goes on after the election', async () => {
    const photo = await store.createPhoto(newPhoto());
    const upload = await store.beginUpload(newUpload({ size: 8 }));
    await store.appendUpload(upload.id, 0, Buffer.from('abcd'));
    await target!.kill();
    // The driver waits out the election (server selection), then retries on the new primary.
    expect((await store.getPhoto(photo.id))?.seq).toBe(photo.seq);
    expect(await store.appendUpload(upload.id, 4, Buffer.from('efgh'))).toBe(8);
    expect(sha(await collect(store.readUpload(upload.id)))).toBe(sha(Buffer.from('abcdefgh')));
    const later = await store.createPhoto(newPhoto());
    expect(later.seq).toBeGreaterThan(photo.seq);
    expect((await store.changesSince(photo.seq, 10)).map((p) => p.id)).toEqual([later.id]);
    await target!.restart();
  }, 120_000);
});
