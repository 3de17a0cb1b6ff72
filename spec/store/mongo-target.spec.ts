// The MongoDB test target itself: the real driver can do what the MongoDB store is built on. Under CI=true
// a missing target fails here (mongoTarget throws) instead of skipping.
import { randomBytes } from 'node:crypto';
import { GridFSBucket, MongoClient, type Db, type ObjectId } from 'mongodb';
import { MONGO_START_TIMEOUT_MS, mongoTarget, startPrivateFerretDb, type MongoTarget, type PrivateFerretDb } from '../fixtures/mongo-server';

async function upload(bucket: GridFSBucket, bytes: Buffer): Promise<ObjectId> {
  const stream = bucket.openUploadStream('photo.bin');
  await new Promise<void>((resolve, reject) => stream.once('error', reject).once('finish', resolve).end(bytes));
  return stream.id;
}

async function download(bucket: GridFSBucket, id: ObjectId, range?: { start: number; end: number }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of bucket.openDownloadStream(id, range)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('the MongoDB test target', () => {
  let target: MongoTarget | null;
  let client: MongoClient | undefined;
  let db: Db;

  beforeAll(async () => {
    target = await mongoTarget();
    if (target) client = await MongoClient.connect(target.uri, { serverSelectionTimeoutMS: 10_000 });
  }, MONGO_START_TIMEOUT_MS);
  afterAll(async () => await client?.close());
  beforeEach(() => {
    if (!target || !client) return pending('no MongoDB target here (see the SKIPPED line)');
    db = client.db(target.newDatabaseName('target'));
  });
  afterEach(async () => await db?.dropDatabase());

  it('names the server it runs and hands out a new database name each time', async () => {
    expect(target!.label).toMatch(/^(FerretDB|MongoDB) /);
    expect(target!.uri).toMatch(/^mongodb(\+srv)?:\/\//);
    expect(target!.newDatabaseName('x')).not.toBe(target!.newDatabaseName('x'));
    const info = await client!.db('admin').command({ buildInfo: 1 });
    expect(info['version']).toMatch(/^\d+\.\d+/);
  });

  it('inserts and finds documents with the real mongodb driver', async () => {
    const photos = db.collection<{ _id: string; seq: number; caption: string }>('photos');
    await photos.insertMany([
      { _id: 'a', seq: 1, caption: 'cake' },
      { _id: 'b', seq: 2, caption: 'dance' },
    ]);
    expect(await photos.findOne({ seq: 2 })).toEqual({ _id: 'b', seq: 2, caption: 'dance' });
    expect((await photos.find({}).sort({ seq: -1 }).toArray()).map((p) => p._id)).toEqual(['b', 'a']);
  });

  it('rejects a duplicate under a unique index with code 11000', async () => {
    const uploads = db.collection('uploads');
    await uploads.createIndex({ clientUploadId: 1 }, { unique: true });
    await uploads.insertOne({ clientUploadId: 'u1' });
    await expectAsync(uploads.insertOne({ clientUploadId: 'u1' })).toBeRejectedWith(jasmine.objectContaining({ code: 11000 }));
    expect(await uploads.countDocuments()).toBe(1);
  });

  it('round-trips 1 MB through GridFS, whole and by a range whose end is exclusive', async () => {
    const bucket = new GridFSBucket(db, { bucketName: 'media' });
    const bytes = randomBytes(1024 * 1024);
    const id = await upload(bucket, bytes);
    expect((await download(bucket, id)).equals(bytes)).toBeTrue();
    // Across a chunk boundary (255 KiB chunks); the driver needs `end` whenever `start` is given.
    const range = { start: 200_000, end: 700_001 };
    expect((await download(bucket, id, range)).equals(bytes.subarray(range.start, range.end))).toBeTrue();
  });
});

describe('a private FerretDB', () => {
  let server: PrivateFerretDb | null;

  beforeAll(async () => {
    server = await startPrivateFerretDb();
  }, MONGO_START_TIMEOUT_MS);
  afterAll(async () => await server?.stop());

  it('keeps acknowledged documents and files across a SIGKILL and a restart on the same port', async () => {
    if (!server) return pending('no FerretDB here (see the SKIPPED line)');
    const client = await MongoClient.connect(server.uri, { serverSelectionTimeoutMS: 3_000 });
    try {
      const db = client.db(server.newDatabaseName('killed'));
      const bucket = new GridFSBucket(db);
      await db.collection('photos').insertMany(Array.from({ length: 100 }, (_, i) => ({ seq: i })));
      const bytes = randomBytes(600_000);
      const id = await upload(bucket, bytes);

      await server.kill();
      await expectAsync(db.collection('photos').countDocuments()).toBeRejected();
      await server.restart();

      expect(await db.collection('photos').countDocuments()).toBe(100);
      expect((await download(bucket, id)).equals(bytes)).toBeTrue();
    } finally {
      await client.close();
    }
  }, 30_000);
});
