/**
 * Writers racing on one photo document: the host's and the owner's changes, and the archive job,
 * which lives on its photo's document (a worker's claim, failure and completion). FerretDB applies
 * an update as read, modify, write of the whole document, so a compare-and-set alone let a write
 * that read the photo before a hide put it back as it was (server/store/mongo/revisions.ts). Two
 * stores on one database, as two replicas, racing many times: no write may be lost.
 */
import { MongoStore } from '../../server/store/mongo/mongo-store';
import type { Actor, Store } from '../../server/store/types';
import { MONGO_START_TIMEOUT_MS, mongoTarget, type MongoTarget } from '../fixtures/mongo-server';
import { dropDatabase, specStoreKind } from '../fixtures/spec-store';
import { blob, newPhoto } from './contract-fixtures';

const ROUNDS = 20;
const HOST: Actor = { kind: 'host' };
const OWNER: Actor = { kind: 'owner', ownerId: newPhoto().ownerId };
const LEASE_MS = 60_000;

describe('the MongoDB store, with writers racing on one photo', () => {
  let target: MongoTarget | null = null;
  let database: string;
  let worker: Store;
  let host: Store;

  beforeAll(async () => {
    // test:server's "store/**" picks this file up too; it belongs to test:mongo alone.
    if (specStoreKind() === 'mongo') target = await mongoTarget();
  }, MONGO_START_TIMEOUT_MS);
  beforeEach(async () => {
    if (specStoreKind() !== 'mongo') return pending('MongoDB store specs run under npm run test:mongo (STORE=mongo)');
    if (!target) return pending('SKIPPED: no MongoDB-wire server (see the SKIPPED line above)');
    database = target.newDatabaseName('jobraces');
    worker = await MongoStore.open(target.uri, { reserveBytes: 0, database });
    host = await MongoStore.open(target.uri, { reserveBytes: 0, database });
  }, MONGO_START_TIMEOUT_MS);
  afterEach(async () => {
    if (!target) return;
    await worker?.close();
    await host?.close();
    await dropDatabase(target.uri, database);
  });

  const withSource = () => {
    const p = newPhoto();
    return { ...p, blobs: [...p.blobs.filter((b) => b.kind !== 'original'), blob('source', `s-${p.id}`)] };
  };

  it("loses neither the host's changes nor the job's when a claim, a failure and a completion race them", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const at = `round ${round}`;
      const photo = await host.createPhoto(withSource());
      const now = Date.now();

      const [job, hidden] = await Promise.all([worker.claimJob('archive', 'worker', now, LEASE_MS), host.updatePhoto(photo.id, HOST, { state: 'hidden' })]);
      expect(hidden?.state).withContext(at).toBe('hidden');
      expect((await host.getPhoto(photo.id))?.state).withContext(`${at}: the hide survives the claim`).toBe('hidden');
      expect(job?.subject).withContext(at).toBe(photo.id);
      expect(await host.claimJob('archive', 'other', now, LEASE_MS)).withContext(`${at}: the claim survives the hide`).toBeNull();
      if (!job) return;

      await Promise.all([worker.failJob(job.id, 'worker', 'boom', now + 1), host.updatePhoto(photo.id, HOST, { caption: `failed ${round}` })]);
      expect((await host.getPhoto(photo.id))?.caption).withContext(`${at}: the edit survives the failure`).toBe(`failed ${round}`);
      const again = await worker.claimJob('archive', 'worker', now + 1, LEASE_MS);
      expect(again?.subject).withContext(`${at}: the failure survives the edit`).toBe(photo.id);
      if (!again) return;

      await Promise.all([worker.completeJob(again.id, 'worker'), host.updatePhoto(photo.id, HOST, { caption: `done ${round}` })]);
      expect(await host.getPhoto(photo.id)).withContext(at).toEqual(jasmine.objectContaining({ caption: `done ${round}`, state: 'hidden' }));
      expect((await host.jobQueue()).depth).withContext(`${at}: the completion survives the edit`).toBe(0);
    }
  }, 120_000);

  it("keeps both the owner's edit and the host's hide when they race", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const photo = await host.createPhoto(newPhoto());
      await Promise.all([worker.updatePhoto(photo.id, OWNER, { caption: `edited ${round}` }), host.updatePhoto(photo.id, HOST, { state: 'hidden' })]);
      const after = await host.getPhoto(photo.id);
      expect([after?.caption, after?.state]).withContext(`round ${round}`).toEqual([`edited ${round}`, 'hidden']);
    }
  }, 120_000);
});
