// Fault specs on the MongoDB path: the real app on a FerretDB of this file's own, SIGKILLed and
// restarted under a guest's upload and commit (UP1, UP10, UP12, UP17). The guest's phone is
// spec/fixtures/retrying-uploader.ts; a WireTap between the app and FerretDB lets a kill land at an
// exact command. FerretDB has no replica set, so the driver retries no write: every kill is felt.
import { createHash, randomBytes } from 'node:crypto';
import { GridFSBucket, MongoClient, type Db, type ObjectId } from 'mongodb';
import { CHUNK_SIZE, isRetryable, type PhotoDto, type Result, type WallSnapshot } from '@photobook/shared';
import { collect, piecesOf } from '../../server/store/blob-body';
import { MongoStore } from '../../server/store/mongo/mongo-store';
import type { NewBlob, PhotoRecord } from '../../server/store/types';
import { noisyJpeg } from '../fixtures/hostile-files';
import { commandBytes, faultGuestCookie, startFaultApp, WireTap, type FaultApp, type Trap } from '../fixtures/mongo-fault-app';
import { MONGO_START_TIMEOUT_MS, startPrivateFerretDb, type PrivateFerretDb } from '../fixtures/mongo-server';
import { uploadRetrying } from '../fixtures/retrying-uploader';
import { connectClient, request, type TestSocket } from '../fixtures/server';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Long enough for every in-flight request to fail, short against serverSelectionTimeoutMS (30 s). */
const DOWN_MS = 1_500;

describe('the MongoDB store when its database server is SIGKILLed (a FerretDB of its own)', () => {
  let ferret: PrivateFerretDb | null = null;
  let tap: WireTap;
  let direct: MongoClient;
  let db: Db;
  let server: FaultApp;
  let sockets: TestSocket[] = [];

  beforeAll(async () => {
    ferret = await startPrivateFerretDb();
    if (!ferret) return;
    tap = await WireTap.start(ferret.port);
    direct = new MongoClient(ferret.uri, { serverSelectionTimeoutMS: 20_000 });
  }, MONGO_START_TIMEOUT_MS);
  afterAll(async () => {
    await direct?.close();
    await tap?.close();
    await ferret?.stop();
  });
  beforeEach(async () => {
    if (!ferret) return pending('no FerretDB here (see the SKIPPED line)');
    const name = ferret.newDatabaseName('faults');
    db = direct.db(name);
    server = await startFaultApp(tap.uri, name);
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    await server?.stop();
    await db?.dropDatabase().catch(() => undefined);
  });

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

  async function expectOnePhotoNoPartials(clientUploadId: string, photoId: string): Promise<void> {
    const photos = await db.collection('photos').find({ clientUploadId }).toArray();
    expect(photos.map((p) => String(p['_id']))).toEqual([photoId]);
    expect(await db.collection('uploads').countDocuments()).withContext('partial uploads').toBe(0);
    expect(await db.collection('upload_parts').countDocuments()).withContext('upload parts').toBe(0);
  }

  /** Every variant of every photo reads back whole: its bytes hash to its content key. */
  async function expectEveryVariantReadable(store: MongoStore): Promise<void> {
    for (const photo of await db.collection<{ _id: string; variants: PhotoRecord['variants'] }>('photos').find({}).toArray()) {
      for (const variant of photo.variants) {
        const read = await store.readVariant(photo._id, variant.kind);
        expect(read && sha(await collect(read.body))).withContext(`${photo._id} ${variant.kind}`).toBe(variant.key.split('.')[0]!);
      }
    }
  }

  /** GridFS files by id, with the ids photos refer to and the ids chunks belong to. */
  async function gridFs(): Promise<{ files: Set<string>; referenced: Set<string>; chunkOwners: Set<string> }> {
    const ids = (docs: { [k: string]: unknown }[], field: string) => docs.map((d) => String(d[field]));
    const photos = await db.collection<{ fileIds: ObjectId[] }>('photos').find({}).toArray();
    return {
      files: new Set(ids(await db.collection('media.files').find({}).toArray(), '_id')),
      referenced: new Set(photos.flatMap((p) => p.fileIds.map(String))),
      chunkOwners: new Set(ids(await db.collection('media.chunks').find({}).toArray(), 'files_id')),
    };
  }

  /** After a crash: the sweep removes what only an old intent stands for, keeps what photos use. */
  async function expectSweepKeepsEveryPhoto(store: MongoStore, strangers: readonly string[] = []): Promise<void> {
    await store.sweepOrphans(Date.now() + 60_000);
    const after = await gridFs();
    const kept = new Set([...after.referenced, ...strangers]);
    expect([...after.files].sort()).toEqual([...kept].sort());
    expect([...after.chunkOwners].filter((id) => !kept.has(id))).withContext('chunks of no kept file').toEqual([]);
    expect(await db.collection('blob_intents').countDocuments()).withContext('intents left').toBe(0);
    await expectEveryVariantReadable(store);
  }

  it('finishes an upload exactly once when the database is killed mid-upload: same bytes, the wall told once, nothing partial left (UP1, UP17)', async () => {
    const bytes = await noisyJpeg(1200, 900);
    expect(bytes.length).toBeGreaterThan(4 * CHUNK_SIZE);
    const wall = await joinWall();
    const guest = await connect();
    const clientUploadId = `killed-upload-${randomBytes(4).toString('hex')}`;
    let crashed: Promise<void> | null = null;
    const { photo, trail } = await uploadRetrying(guest, {
      bytes,
      clientUploadId,
      onAcked: (offset) => void (offset >= 2 * CHUNK_SIZE && (crashed ??= crash())),
    });
    await crashed;
    expect(crashed).withContext('the kill happened mid-upload').not.toBeNull();
    expect(trail.refusals.length).withContext('the guest felt the outage').toBeGreaterThan(0);
    expect(trail.refusals.filter((code) => code !== 'TIMEOUT' && code !== 'NO_PROGRESS' && !isRetryable(code))).toEqual([]);

    await expectOnePhotoNoPartials(clientUploadId, photo.id);
    await server.app.archive.idle();
    const kept = (await server.store.readVariant(photo.id, 'source')) ?? (await server.store.readVariant(photo.id, 'original'));
    expect(kept && sha(await collect(kept.body))).withContext('the stored upload').toBe(sha(bytes));
    await expectWallSawOnce(wall, photo.id);
    await expectSweepKeepsEveryPhoto(server.store);
  }, 90_000);

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
      let crashed: Promise<void> | null = null;
      let done = false;
      const watching = watchForHalfWritten(observer, () => done);
      try {
        const { photo, trail } = await uploadRetrying(guest, {
          bytes,
          clientUploadId,
          onCommit: () => void (crashed ??= tap.arm(trap).then(crash)),
        });
        done = true;
        expect(await watching).withContext('half-written photos seen').toEqual([]);
        await crashed;
        expect(trail.commits).withContext('commits sent').toBeGreaterThan(1);
        expect(trail.refusals.filter((code) => code !== 'TIMEOUT' && !isRetryable(code))).toEqual([]);

        await expectOnePhotoNoPartials(clientUploadId, photo.id);
        for (const kind of ['display', 'thumb'] as const) {
          const url = kind === 'display' ? photo.displayUrl : photo.thumbUrl;
          const served = Buffer.from(await (await fetch(server.url + url)).arrayBuffer());
          const stored = await server.store.readVariant(photo.id, kind);
          expect(sha(served)).withContext(`${kind} over HTTP`).toBe(stored ? sha(await collect(stored.body)) : 'none stored');
        }
        await expectWallSawOnce(wall, photo.id);
        await server.app.archive.idle();
        await expectSweepKeepsEveryPhoto(server.store);
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

  it('sweeps the files a crashed commit left behind an old intent, and never a file that a photo uses or that has no intent (UP12)', async () => {
    const guest = await connect();
    const { photo } = await uploadRetrying(guest, { bytes: await noisyJpeg(800, 600), clientUploadId: `kept-${randomBytes(4).toString('hex')}` });
    await server.app.archive.idle();
    const before = await gridFs();
    expect([...before.referenced].sort()).toEqual([...before.files].sort());

    // Two replicas die mid-commit: one after writing its files, one in the middle of a file.
    const crashedAt = Date.now();
    const died = [
      await replicaDiesDuring({ pattern: commandBytes('insert', 'photos'), hold: 'request' }),
      await replicaDiesDuring({ pattern: commandBytes('insert', 'media.chunks'), hold: 'request', nth: 2 }),
    ];
    const stranger = await writeStrangerFile();
    const littered = await gridFs();
    expect(littered.files.size).withContext('the dead replica\'s finished files and the stranger').toBe(before.files.size + 3);
    expect(littered.chunkOwners.size).withContext('chunk owners, the unfinished file included').toBe(before.chunkOwners.size + 4);
    expect(await db.collection('blob_intents').countDocuments()).toBe(3);

    // Intents newer than the cutoff are not the sweep's yet.
    expect((await server.store.sweepOrphans(crashedAt - 1)).removed).toBe(0);
    expect((await gridFs()).files.size).toBe(littered.files.size);

    const report = await server.store.sweepOrphans(Date.now() + 60_000);
    expect(report.errors).toEqual([]);
    expect(report.removed).withContext('files with a files document').toBe(2);
    await expectSweepKeepsEveryPhoto(server.store, [stranger]);
    expect(await server.store.getPhoto(photo.id)).not.toBeNull();
    for (const replica of died) await replica.bury();
  }, 90_000);

  /** A second store (another replica) that stops for good when `trap` fires inside its createPhoto. */
  async function replicaDiesDuring(trap: Trap): Promise<{ bury(): Promise<void> }> {
    const replica = await MongoStore.open(tap.uri, { reserveBytes: 0, database: db.databaseName });
    const blob = (kind: NewBlob['kind'], bytes: Buffer): NewBlob => ({ kind, contentType: 'image/webp', width: 10, height: 10, bytes: bytes.length, body: piecesOf(bytes) });
    const fired = tap.arm(trap);
    const commit = replica.createPhoto({
      id: `dead-${randomBytes(6).toString('hex')}`, ownerId: 'dead-owner', clientUploadId: `dead-${randomBytes(6).toString('hex')}`,
      caption: '', author: '', createdAt: Date.now(),
      blobs: [blob('display', randomBytes(600_000)), blob('thumb', randomBytes(20_000))],
    }).catch(() => undefined);
    await fired;
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
