// Fault specs on the MongoDB path: the real app on a FerretDB of this file's own, SIGKILLed and
// restarted under a guest's upload and commit (UP1, UP10, UP12, UP17). The guest's phone is
// spec/fixtures/retrying-uploader.ts; a WireTap between the app and FerretDB lets a kill land at an
// exact command. FerretDB has no replica set, so the driver retries no write: every kill is felt.
import { randomBytes } from 'node:crypto';
import { GridFSBucket, MongoClient, type Db } from 'mongodb';
import { CHUNK_SIZE, isRetryable, type PhotoDto, type Result, type WallSnapshot } from '@photobook/shared';
import { collect } from '../../server/store/blob-body';
import { MongoStore } from '../../server/store/mongo/mongo-store';
import type { NewBlob } from '../../server/store/types';
import { noisyJpeg } from '../fixtures/hostile-files';
import { expectOnePhotoNoPartials, expectSweepKeepsEveryPhoto, gridFsState, sha } from '../fixtures/mongo-fault-checks';
import { commandBytes, faultGuestCookie, startFaultApp, WireTap, type FaultApp, type Trap } from '../fixtures/mongo-fault-app';
import { MONGO_START_TIMEOUT_MS, startPrivateFerretDb, type PrivateFerretDb } from '../fixtures/mongo-server';
import { uploadRetrying } from '../fixtures/retrying-uploader';
import { connectClient, request, type TestSocket } from '../fixtures/server';
import { specStoreKind } from '../fixtures/spec-store';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Long enough for every in-flight request to fail, short against serverSelectionTimeoutMS (30 s). */
const DOWN_MS = 1_500;

describe('the MongoDB store when its database server is SIGKILLed (a FerretDB of its own)', () => {
  let ferret: PrivateFerretDb | null = null;
  let tap: WireTap;
  let direct: MongoClient;
  let db: Db;
  let server: FaultApp;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    // test:server's "store/**" picks this file up too; it belongs to test:mongo alone.
    if (specStoreKind() !== 'mongo') return;
    ferret = await startPrivateFerretDb();
    if (!ferret) return;
    tap = await WireTap.start(ferret.port);
    direct = new MongoClient(ferret.uri, { serverSelectionTimeoutMS: 20_000 });
  }, MONGO_START_TIMEOUT_MS);
  afterAll(async () => {
    await direct?.close();
    await tap?.close();
    await ferret?.stop();
  }, 30_000);
  beforeEach(async () => {
    if (specStoreKind() !== 'mongo') return pending('MongoDB fault specs run under npm run test:mongo (STORE=mongo)');
    if (!ferret) return pending('no FerretDB here (see the SKIPPED line)');
    const name = ferret.newDatabaseName('faults');
    db = direct.db(name);
    server = await startFaultApp(tap.uri, name);
  }, 30_000);
  afterEach(async () => {
    tap?.disarm();
    for (const socket of sockets.splice(0)) socket.disconnect();
    await server?.stop();
    await db?.dropDatabase().catch(() => undefined);
  }, 30_000);

  const connect = async (cookie = faultGuestCookie()) => {
    const socket = await connectClient(server.url, { cookie });
    sockets.push(socket);
    return socket;
  };

  /** SIGKILL, a moment of outage, then FerretDB again on the same port and data. */
  const crash = async () => {
    await ferret!.kill();
    await sleep(DOWN_MS);
    await ferret!.restart();
  };

  /** Kills the database when `trap` fires; resolves (after the restart) whether it did. */
  const crashAt = (trap: Trap) =>
    tap.arm(trap).then(async (hit) => {
      if (hit) await crash();
      return hit;
    });
  /** After the guest is done: whether the kill happened (a trap that never fired is taken back). */
  const killed = (crashed: Promise<boolean> | null) => (tap.disarm(), crashed ?? false);

  /** A wall that joined now, recording every photo:added. */
  async function joinWall(): Promise<{ socket: TestSocket; seq: number; added: PhotoDto[] }> {
    const socket = await connect();
    const added: PhotoDto[] = [];
    socket.on('photo:added', (photo) => added.push(photo));
    const joined = await request<WallSnapshot>(socket, 'wall:join', { sinceSeq: null });
    if (!joined.ok) throw new Error(`wall:join failed: ${joined.error.code}`);
    return { socket, seq: joined.value.seq, added };
  }

  /** The wall sees the photo exactly once: told live once, and listed once when it catches up from its seq. */
  async function expectWallSawOnce(wall: Awaited<ReturnType<typeof joinWall>>, photoId: string): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!wall.added.some((p) => p.id === photoId) && Date.now() < deadline) await sleep(50);
    expect(wall.added.filter((p) => p.id === photoId).length).withContext('photo:added for it').toBe(1);
    const caughtUp: Result<WallSnapshot> = await request<WallSnapshot>(wall.socket, 'wall:join', { sinceSeq: wall.seq });
    expect(caughtUp.ok && caughtUp.value.photos.filter((p) => p.id === photoId).length).withContext('catch-up from its seq').toBe(1);
  }

  // Where in the upload the kill lands, two chunks in: a chunk's bytes stored but not yet counted,
  // and a chunk counted whose answer never arrives (the guest must learn it from begin).
  const uploadKills: readonly { readonly where: string; readonly trap: Trap }[] = [
    { where: 'after a chunk\'s bytes are stored, before they count', trap: { pattern: commandBytes('insert', 'upload_parts'), hold: 'reply', nth: 3 } },
    { where: 'after a chunk counts, its answer lost', trap: { pattern: commandBytes('findAndModify', 'uploads'), hold: 'reply', nth: 6 } },
  ];
  for (const { where, trap } of uploadKills) {
    it(`finishes an upload exactly once when the database is killed mid-upload ${where}: same bytes, the wall told once, nothing partial left (UP1, UP17)`, async () => {
      const bytes = await noisyJpeg(1500, 1100);
      expect(bytes.length).toBeGreaterThan(4 * CHUNK_SIZE);
      const wall = await joinWall();
      const guest = await connect();
      const clientUploadId = `killed-upload-${randomBytes(4).toString('hex')}`;
      const crashed = crashAt(trap);
      const { photo, trail } = await uploadRetrying(guest, { bytes, clientUploadId });
      expect(await killed(crashed)).withContext('killed mid-upload').toBeTrue();
      expect(trail.refusals.length).withContext('the guest felt the outage').toBeGreaterThan(0);
      expect(trail.refusals.filter((code) => code !== 'TIMEOUT' && code !== 'NO_PROGRESS' && !isRetryable(code))).toEqual([]);

      await expectOnePhotoNoPartials(db, clientUploadId, photo.id);
      await server.app.archive.idle();
      const kept = (await server.store.readVariant(photo.id, 'source')) ?? (await server.store.readVariant(photo.id, 'original'));
      expect(kept && sha(await collect(kept.body))).withContext('the stored upload').toBe(sha(bytes));
      await expectWallSawOnce(wall, photo.id);
      await expectSweepKeepsEveryPhoto(db, server.store);
    }, 90_000);
  }

  // Where in the commit the kill lands: inside the GridFS writes, before the photo's insert, and
  // after it (the insert is done but its answer never arrives).
  const commitKills: readonly { readonly where: string; readonly trap: Trap }[] = [
    { where: 'while its image files are written', trap: { pattern: commandBytes('insert', 'media.chunks'), hold: 'request', nth: 3 } },
    { where: 'just before the photo record is inserted', trap: { pattern: commandBytes('insert', 'photos'), hold: 'request' } },
    { where: 'after the photo record is inserted, its answer lost', trap: { pattern: commandBytes('insert', 'photos'), hold: 'reply' } },
  ];
  for (const { where, trap } of commitKills) {
    it(`makes exactly one whole photo when the database is killed mid-commit ${where}, and never shows a half-written one (UP10, UP17)`, async () => {
      const bytes = await noisyJpeg(1600, 1200);
      const wall = await joinWall();
      const guest = await connect();
      const clientUploadId = `killed-commit-${randomBytes(4).toString('hex')}`;
      const observer = await MongoStore.open(ferret!.uri, { reserveBytes: 0, database: db.databaseName });
      let crashed: Promise<boolean> | null = null;
      let done = false;
      const watching = watchForHalfWritten(observer, () => done);
      try {
        const { photo, trail } = await uploadRetrying(guest, {
          bytes,
          clientUploadId,
          onCommit: () => void (crashed ??= crashAt(trap)),
        });
        done = true;
        expect(await watching).withContext('half-written photos seen').toEqual([]);
        expect(await killed(crashed)).withContext('killed mid-commit').toBeTrue();
        expect(trail.commits).withContext('commits sent').toBeGreaterThan(1);
        expect(trail.refusals.filter((code) => code !== 'TIMEOUT' && !isRetryable(code))).toEqual([]);

        await expectOnePhotoNoPartials(db, clientUploadId, photo.id);
        for (const kind of ['display', 'thumb'] as const) {
          const url = kind === 'display' ? photo.displayUrl : photo.thumbUrl;
          const served = Buffer.from(await (await fetch(server.url + url)).arrayBuffer());
          const stored = await server.store.readVariant(photo.id, kind);
          expect(sha(served)).withContext(`${kind} over HTTP`).toBe(stored ? sha(await collect(stored.body)) : 'none stored');
        }
        await expectWallSawOnce(wall, photo.id);
        await server.app.archive.idle();
        await expectSweepKeepsEveryPhoto(db, server.store);
      } finally {
        done = true;
        await watching;
        await observer.close();
      }
    }, 90_000);
  }

  /** Polls what walls read until `stop()`: every listed photo must have its variants, each one served. */
  async function watchForHalfWritten(store: MongoStore, stop: () => boolean): Promise<string[]> {
    const problems: string[] = [];
    while (!stop()) {
      try {
        const listed = [...(await store.listPhotos(50)), ...(await store.changesSince(0, 50))];
        for (const photo of listed.filter((p) => p.state !== 'removed')) {
          const kinds = photo.variants.map((v) => v.kind);
          if (!kinds.includes('display') || !kinds.includes('thumb')) problems.push(`${photo.id} lists ${kinds.join(',')}`);
          for (const v of photo.variants.filter((v) => v.kind === 'display' || v.kind === 'thumb')) {
            const media = await store.openMedia(v.key);
            if (!media || sha(await collect(media.open())) !== v.key.split('.')[0]) problems.push(`${photo.id} ${v.kind} not served whole`);
          }
        }
      } catch {
        // The database is down: nothing to read, nothing shown.
      }
      await sleep(20);
    }
    return problems;
  }

  it('keeps answering through an outage: a write cut off by the kill answers INTERNAL, requests meanwhile answer or refuse retryably, and all work after the restart (UP17)', async () => {
    const guest = await connect();
    const { photo } = await uploadRetrying(guest, { bytes: await noisyJpeg(640, 480), clientUploadId: `before-${randomBytes(4).toString('hex')}` });
    const wall = await joinWall();
    const asks = () => [
      request(wall.socket, 'wall:join', { sinceSeq: wall.seq }).then((r) => (r.ok ? 'ok' : r.error.code), () => 'no answer'),
      request(wall.socket, 'wall:page', { cursor: null, limit: 10 }).then((r) => (r.ok ? 'ok' : r.error.code), () => 'no answer'),
      fetch(server.url + photo.displayUrl).then((r) => (r.status === 200 ? 'ok' : r.status >= 500 ? 'INTERNAL' : `HTTP ${r.status}`)),
    ];
    const fresh = { clientUploadId: `during-${randomBytes(4).toString('hex')}`, name: 'a.jpg', size: 5000, type: 'image/jpeg', caption: '', author: '' };

    // The new upload's record is being written when the server dies: the driver retries no write here.
    const cut = tap.arm({ pattern: commandBytes('update', 'uploads'), hold: 'request' });
    const begin = request(guest, 'upload:begin', fresh);
    expect(await cut).withContext('the begin reached the database').toBeTrue();
    await ferret!.kill();
    // Asked while it is down: they wait for the server (selection waits up to 30 s) or fail retryably.
    const during = Promise.all([...asks(), fetch(server.url + '/healthz').then((r) => (r.ok ? 'ok' : `HTTP ${r.status}`))]);
    await sleep(DOWN_MS);
    await ferret!.restart();

    const refused = await begin;
    expect(refused.ok ? 'ok' : refused.error.code).withContext('the begin cut off').toBe('INTERNAL');
    const answers = await during;
    expect(answers.filter((a) => a !== 'ok' && !isRetryable(a))).withContext(`answers during the outage: ${answers.join(', ')}`).toEqual([]);
    expect(answers.at(-1)).withContext('the process itself').toBe('ok');
    expect(await Promise.all(asks())).withContext('after the restart').toEqual(['ok', 'ok', 'ok']);
    const again = await uploadRetrying(guest, { bytes: await noisyJpeg(640, 480), clientUploadId: fresh.clientUploadId });
    await expectWallSawOnce(wall, again.photo.id);
    await expectOnePhotoNoPartials(db, fresh.clientUploadId, again.photo.id);
  }, 60_000);

  it('sweeps the files a crashed commit left behind an old intent, and never a file that a photo uses or that has no intent (UP12)', async () => {
    const guest = await connect();
    const { photo } = await uploadRetrying(guest, { bytes: await noisyJpeg(800, 600), clientUploadId: `kept-${randomBytes(4).toString('hex')}` });
    await server.app.archive.idle();
    const before = await gridFsState(db);
    expect([...before.referenced].sort()).toEqual([...before.files].sort());

    // Two replicas die mid-commit: one after writing its files, one in the middle of a file.
    const crashedAt = Date.now();
    died.push(await replicaDiesDuring({ pattern: commandBytes('insert', 'photos'), hold: 'request' }));
    died.push(await replicaDiesDuring({ pattern: commandBytes('insert', 'media.chunks'), hold: 'request', nth: 2 }));
    const stranger = await writeStrangerFile();
    const littered = await gridFsState(db);
    expect(littered.files.size).withContext('the dead replica\'s finished files and the stranger').toBe(before.files.size + 3);
    expect(littered.chunkOwners.size).withContext('chunk owners, the unfinished file included').toBe(before.chunkOwners.size + 4);
    expect(await db.collection('blob_intents').countDocuments()).toBe(3);

    // Intents newer than the cutoff are not the sweep's yet.
    expect((await server.store.sweepOrphans(crashedAt - 1)).removed).toBe(0);
    expect((await gridFsState(db)).files.size).toBe(littered.files.size);

    const report = await server.store.sweepOrphans(Date.now() + 60_000);
    expect(report.errors).toEqual([]);
    expect(report.removed).withContext('files with a files document').toBe(2);
    await expectSweepKeepsEveryPhoto(db, server.store, [stranger]);
    expect(await server.store.getPhoto(photo.id)).not.toBeNull();
  }, 90_000);

  it('does not keep a free-room reading that failed: the next request reads again', async () => {
    const store = await MongoStore.open(tap.uri, { reserveBytes: 0, database: db.databaseName });
    try {
      const fired = tap.arm({ pattern: Buffer.from('dbStats'), hold: 'request' });
      const failed = store.storage();
      expect(await fired).withContext('the dbStats reached the tap').toBeTrue();
      tap.cutFrozen();
      await expectAsync(failed).toBeRejectedWith(jasmine.objectContaining({ code: 'INTERNAL' }));
      const again = store.storage();
      expect(again).withContext('a new reading').not.toBe(failed);
      expect((await again).reserveBytes).toBe(0);
    } finally {
      await store.close();
    }
  }, 30_000);

  /** Replicas that died (their connections frozen by the tap), buried after each spec. */
  const died: { bury(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const replica of died.splice(0)) await replica.bury();
  });

  /** A second store (another replica) that stops for good when `trap` fires inside its createPhoto. */
  async function replicaDiesDuring(trap: Trap): Promise<{ bury(): Promise<void> }> {
    const replica = await MongoStore.open(tap.uri, { reserveBytes: 0, database: db.databaseName });
    // Pieces smaller than a GridFS chunk: each chunk is stored before the next one is sent.
    const body = (bytes: Buffer) => async function* () {
      for (let at = 0; at < bytes.length; at += 65_536) yield bytes.subarray(at, at + 65_536);
    };
    const blob = (kind: NewBlob['kind'], bytes: Buffer): NewBlob =>
      ({ kind, contentType: 'image/webp', width: 10, height: 10, bytes: bytes.length, body: body(bytes) });
    const fired = tap.arm(trap);
    const commit = replica.createPhoto({
      id: `dead-${randomBytes(6).toString('hex')}`, ownerId: 'dead-owner', clientUploadId: `dead-${randomBytes(6).toString('hex')}`,
      caption: '', author: '', createdAt: Date.now(),
      blobs: [blob('display', randomBytes(600_000)), blob('thumb', randomBytes(20_000))],
    }).catch(() => undefined);
    if (!(await Promise.race([fired, commit.then(() => false)]))) {
      tap.disarm();
      throw new Error('the replica finished its commit: the trap never fired');
    }
    return {
      async bury() {
        tap.cutFrozen();
        await replica.close();
        await commit;
      },
    };
  }

  /** A GridFS file nobody announced: no intent, no photo. */
  async function writeStrangerFile(): Promise<string> {
    const upload = new GridFSBucket(db, { bucketName: 'media' }).openUploadStream('stranger.bin');
    await new Promise<void>((resolve, reject) => upload.once('error', reject).once('finish', resolve).end(randomBytes(1000)));
    return String(upload.id);
  }
});
