/**
 * `npm run migrate`, the real CLI in a child process: a 200-photo laptop event (the embedded store
 * in a temp DATA_DIR, filled through the store itself) moves into a fresh MongoDB database, and a
 * MongoStore opened on it must serve the same event. Then it runs again and must change nothing.
 * The whole story runs in beforeAll (specs run in random order); each case asserts one part of it.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { SqliteStore } from '../../server/store/embedded/sqlite-store';
import { MongoStore } from '../../server/store/mongo/mongo-store';
import type { GuestInfo, HostSettings, JobQueueStats, NewBlob, PhotoRecord, Store } from '../../server/store/types';
import { piecesOf } from '../../server/store/blob-body';
import { memoryBlob } from '../fixtures/blobs';
import { noisyJpeg } from '../fixtures/hostile-files';
import { MONGO_START_TIMEOUT_MS, mongoTarget, type MongoTarget } from '../fixtures/mongo-server';
import { dropDatabase } from '../fixtures/spec-store';

const PHOTOS = 200;
const MIGRATION_TIMEOUT_MS = 600_000;
const EMBEDDED = { reserveBytes: 1024 * 1024, syncWrites: false };
const owner = (n: number) => `guest${n}-${'k'.repeat(36)}`; // 43 characters, like a real owner key
const BROWSER = `browser-${'b'.repeat(35)}`;
const CODE_HASH = 'code-hash-of-guest-0';
const ADMIN_HASH = 'scrypt$16384$8$1$c2FsdA$aGFzaA';
const host = { kind: 'host' } as const;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The CLI as the host runs it, with only the environment given here. */
function migrate(env: Record<string, string>): Promise<Run> {
  const started = Date.now();
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(MONGODB_|DATA_DIR|COOKIE_SECRET)/.test(k)));
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'server/migrate-main.ts'], { env: { ...clean, ...env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const sha256 = async (pieces: AsyncIterable<Uint8Array>) => {
  const hash = createHash('sha256');
  for await (const piece of pieces) hash.update(piece);
  return hash.digest('hex');
};

function jpegBlob(kind: 'source' | 'original', data: Buffer): NewBlob {
  return { kind, contentType: 'image/jpeg', width: 64, height: 48, bytes: data.byteLength, body: piecesOf(data) };
}

/** Preview first (UP23, UP25): photo 8's full copy never came; photo 9's came after the photo, with its job. */
const PREVIEW_ONLY = 'photo-0008';
const COMPLETED_LATER = 'photo-0009';

/** A laptop event with every kind of fact the migration must carry; returns the photo ids by role. */
async function buildEvent(store: Store): Promise<{ sourced: string[] }> {
  const jpegs = await Promise.all(Array.from({ length: 8 }, (_, i) => noisyJpeg(64 + i, 48)));
  const big = await noisyJpeg(800, 480); // about 310 KB: more than one GridFS chunk
  const sourced: string[] = [];
  for (let i = 0; i < PHOTOS; i++) {
    const id = `photo-${String(i).padStart(4, '0')}`;
    const withSource = i % 67 === 5;
    const preview = id === PREVIEW_ONLY || id === COMPLETED_LATER;
    const first: NewBlob = withSource ? jpegBlob('source', i === 5 ? big : jpegs[i % 8]!) : jpegBlob('original', jpegs[i % 8]!);
    // Photos 0-9 share one thumb's bytes: one file on the laptop, one GridFS file per photo after.
    const thumb = i < 10 ? Buffer.from('shared-thumb') : Buffer.from(`thumb-${i}`);
    await store.createPhoto({
      id,
      ownerId: owner(i % 5),
      clientUploadId: `upload-${i}`,
      caption: `Photo ${i} ✨`,
      author: `Guest ${i % 5}`,
      createdAt: 1_750_000_000_000 + i * 1000,
      state: i % 10 === 3 ? 'pending' : 'visible',
      blobs: [...(preview ? [] : [first]), memoryBlob('display', Buffer.from(`display-${i}-${'x'.repeat(i)}`)), memoryBlob('thumb', thumb)],
    });
    if (withSource) sourced.push(id);
  }
  await store.attachSource(COMPLETED_LATER, owner(9 % 5), jpegBlob('source', jpegs[1]!));
  sourced.push(COMPLETED_LATER);
  for (let i = 0; i < PHOTOS; i += 7) await store.updatePhoto(`photo-${String(i).padStart(4, '0')}`, { kind: 'owner', ownerId: owner(i % 5) }, { caption: `Edited ${i}` });
  for (let i = 1; i < PHOTOS; i += 13) await store.updatePhoto(`photo-${String(i).padStart(4, '0')}`, host, { state: 'hidden' });
  for (let i = 2; i < PHOTOS; i += 17) await store.removePhoto(`photo-${String(i).padStart(4, '0')}`, host);
  await store.blockOwnerOf('photo-0004');
  await store.setRecoveryCode(owner(0), CODE_HASH, 1_750_000_500_000);
  await store.recoverOwner(BROWSER, CODE_HASH);
  await store.updateSettings({ uploadsPaused: true, pauseMessage: 'Back after the speeches', approvalRequired: true, event: { title: 'Anna & Ben', 'wall.showCaptions': false, 'wall.slideSeconds': 5 } });
  await store.writeAdminSecret(ADMIN_HASH);
  await store.sharedSecret('cookie', () => randomBytes(32).toString('base64url'));
  await store.beginUpload({ id: 'partial-1', ownerId: owner(1), addressKey: null, clientUploadId: 'upload-partial', name: 'p.jpg', size: 1000, type: 'image/jpeg', caption: '', author: '', createdAt: Date.now() });
  return { sourced };
}

/** What a store serves of the event: every photo (tombstones too), the bytes' hashes, guests and settings. */
async function servedEvent(store: Store): Promise<{ photos: readonly PhotoRecord[]; hashes: Map<string, string>; guests: Map<string, GuestInfo>; settings: HostSettings }> {
  const photos = await store.changesSince(0, 10_000);
  const hashes = new Map<string, string>();
  const variants = photos.flatMap((p) => p.variants.map((v) => ({ id: p.id, kind: v.kind })));
  // A few reads at once: FerretDB finds a file's chunks by scanning them all, so each read is slow.
  const reader = async () => {
    for (let v = variants.shift(); v; v = variants.shift()) hashes.set(`${v.id}/${v.kind}`, await sha256((await store.readVariant(v.id, v.kind))!.body));
  };
  await Promise.all([reader(), reader(), reader(), reader(), reader(), reader()]);
  const guests = new Map(await store.guestsOf(photos.map((p) => p.ownerId)));
  return { photos: [...photos].sort((a, b) => a.seq - b.seq), hashes, guests, settings: await store.readSettings() };
}

/** Every document the migration writes, for "a second run changes nothing". */
async function rawDocuments(uri: string, database: string): Promise<{ docs: string; gridFsFiles: number; chunks: number }> {
  const client = new MongoClient(uri);
  try {
    const db = client.db(database);
    const names = (await db.listCollections().toArray()).map((c) => c.name).filter((n) => n !== 'media.chunks').sort();
    const all: Record<string, unknown[]> = {};
    for (const name of names) all[name] = await db.collection(name).find({}).sort({ _id: 1 }).toArray();
    return { docs: JSON.stringify(all), gridFsFiles: await db.collection('media.files').countDocuments(), chunks: await db.collection('media.chunks').countDocuments() };
  } finally {
    await client.close();
  }
}

describe('npm run migrate: a laptop event into MongoDB', () => {
  let target: MongoTarget | null;
  let dataDir: string;
  let database: string;
  let laptop: Awaited<ReturnType<typeof servedEvent>>;
  let laptopQueue: JobQueueStats;
  let migrated: Awaited<ReturnType<typeof servedEvent>>;
  let sourced: string[];
  let first: Run;
  let second: Run;
  let before: Awaited<ReturnType<typeof rawDocuments>>;
  let after: Awaited<ReturnType<typeof rawDocuments>>;
  let facts: Awaited<ReturnType<typeof goOn>>;

  beforeAll(async () => {
    target = await mongoTarget();
    if (!target) return;
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-migrate-spec-'));
    database = target.newDatabaseName('migrate');
    const embedded = await SqliteStore.open(dataDir, EMBEDDED);
    try {
      ({ sourced } = await buildEvent(embedded));
      laptop = await servedEvent(embedded);
      laptopQueue = await embedded.jobQueue();
    } finally {
      await embedded.close();
    }
    const env = { MONGODB_URI: target.uri, MONGODB_DATABASE: database, DATA_DIR: dataDir };
    first = await migrate(env);
    before = await rawDocuments(target.uri, database);
    second = await migrate(env);
    after = await rawDocuments(target.uri, database);
    console.log(`\n  migrate: ${PHOTOS} photos on ${target.label}: first run ${first.ms} ms, second run ${second.ms} ms`);
    facts = await goOn(target.uri, database);
  }, MONGO_START_TIMEOUT_MS + MIGRATION_TIMEOUT_MS);

  /** Reads the migrated event through the store, then lives on with it: the changes come last. */
  async function goOn(uri: string, db: string) {
    const store = await MongoStore.open(uri, { reserveBytes: 1024 * 1024, database: db });
    try {
      migrated = await servedEvent(store);
      const read = {
        currentSeq: await store.currentSeq(),
        resolved: await store.resolveOwner(BROWSER),
        blocked: await store.isBlocked(owner(4)),
        admin: await store.readAdminSecret(),
      };
      const queue = await store.jobQueue();
      const recovered = await store.recoverOwner(`browser-two-${'c'.repeat(31)}`, CODE_HASH);
      const job = await store.claimJob('archive', 'spec-worker', Date.now(), 60_000);
      const next = await store.createPhoto({ id: 'after-migration', ownerId: owner(9), clientUploadId: 'after-1', caption: '', author: '', createdAt: Date.now(), blobs: [memoryBlob('display', Buffer.from('new'))] });
      return { ...read, queue, recovered, job, next };
    } finally {
      await store.close();
    }
  }

  afterAll(async () => {
    if (!target) return;
    await dropDatabase(target.uri, database);
    await fs.rm(dataDir, { recursive: true, force: true });
  }, 60_000);

  beforeEach(() => {
    if (!target) pending('SKIPPED: no MongoDB-wire server (see the SKIPPED line above)');
  });

  it('copies the event, verifies it, and says so on the terminal', () => {
    expect(first.code).withContext(first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toContain('50/200 photos');
    expect(first.stdout).toContain('200/200 photos (200 copied, 0 already there)');
    expect(first.stdout).toMatch(/Not migrated: 1 partial upload .* admin session/);
    expect(first.stdout).toMatch(/Migrated 200 photos \(\d+ files, [\d.]+ MB\) from \S+ to MongoDB database \S+: verified\./);
    expect(first.stderr).toContain('COOKIE_SECRET');
  });

  it('keeps every photo with its seq, state, fields and guest number, tombstones included', () => {
    const states = (photos: readonly PhotoRecord[]) => ['visible', 'pending', 'hidden', 'removed'].map((s) => photos.filter((p) => p.state === s).length);
    expect(states(migrated.photos)).toEqual(states(laptop.photos));
    expect(states(laptop.photos).every((n) => n > 0)).withContext('the event has every state').toBeTrue();
    expect(migrated.photos.map((p) => [p.id, p.seq])).toEqual(laptop.photos.map((p) => [p.id, p.seq]));
    const byKind = (p: PhotoRecord) => ({ ...p, variants: [...p.variants].sort((a, b) => (a.kind < b.kind ? -1 : 1)) });
    expect(migrated.photos.map(byKind)).toEqual(laptop.photos.map(byKind));
    expect(facts.currentSeq).toBe(Math.max(...laptop.photos.map((p) => p.seq)));
  });

  it('copies every variant byte for byte (SHA-256 equal, and equal to the content key)', () => {
    expect(migrated.hashes.size).toBe(laptop.hashes.size);
    for (const [variant, hash] of laptop.hashes) expect(migrated.hashes.get(variant)).withContext(variant).toBe(hash);
    for (const p of migrated.photos) for (const v of p.variants) expect(v.key).withContext(`${p.id}/${v.kind}`).toBe(`${migrated.hashes.get(`${p.id}/${v.kind}`)}.${v.key.split('.')[1]}`);
  });

  it('keeps guests, the block, the recovery code and link, the settings and the admin password', () => {
    expect(migrated.guests).toEqual(laptop.guests);
    expect(facts.blocked).toBeTrue();
    expect(facts.resolved).toBe(owner(0));
    expect(facts.recovered).toBe(owner(0));
    expect(migrated.settings).toEqual(laptop.settings);
    expect(migrated.settings.event).toEqual({ title: 'Anna & Ben', wall: { showCaptions: false, slideSeconds: 5 } });
    expect(facts.admin).toBe(ADMIN_HASH);
  });

  it('goes on where the laptop stopped: archive job due, next seq, next guest number', () => {
    expect(facts.job).not.toBeNull();
    expect(sourced).toContain(facts.job!.subject);
    const next = facts.next;
    expect(next.seq).toBe(Math.max(...laptop.photos.map((p) => p.seq)) + 1);
    expect(next.guest).toBe(Math.max(...[...laptop.guests.values()].map((g) => g.number)) + 1);
  });

  it("carries photos made from their preview: one without its full copy and no job, one whose full copy came later with its job queued then (UP25)", () => {
    const kinds = (photos: readonly PhotoRecord[], id: string) => photos.find((p) => p.id === id)?.variants.map((v) => v.kind).sort();
    expect(kinds(migrated.photos, PREVIEW_ONLY)).toEqual(['display', 'thumb']);
    expect(kinds(migrated.photos, COMPLETED_LATER)).toEqual(['display', 'source', 'thumb']);
    expect(facts.queue).toEqual(laptopQueue);
    expect(laptopQueue.depth).toBe(sourced.length);
    const docs = (JSON.parse(before.docs) as { photos: { _id: string; jobs?: { archive?: { queuedAt?: number } } }[] }).photos;
    const later = docs.find((d) => d._id === COMPLETED_LATER)?.jobs?.archive?.queuedAt;
    expect(later).withContext('queued when the full copy came, not with the photo').toBeGreaterThan(1_750_000_000_000 + PHOTOS * 1000);
    expect(docs.find((d) => d._id === PREVIEW_ONLY)?.jobs).toBeUndefined();
  });

  it('changes nothing when run again, and verifies again', () => {
    expect(second.code).withContext(second.stderr + second.stdout).toBe(0);
    expect(second.stdout).toContain('200/200 photos (0 copied, 200 already there)');
    expect(second.stdout).toContain(': verified.');
    expect(after.gridFsFiles).toBe(before.gridFsFiles);
    expect(after.gridFsFiles).toBe(laptop.hashes.size);
    expect(after.chunks).toBe(before.chunks);
    expect(after.chunks).withContext('one file spans several chunks').toBeGreaterThan(after.gridFsFiles);
    expect(after.docs).toEqual(before.docs);
  });
});

describe('npm run migrate refuses', () => {
  it('a MongoDB database that holds a different cookie secret', async () => {
    const target = await mongoTarget();
    if (!target) return pending('SKIPPED: no MongoDB-wire server (see the SKIPPED line above)');
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-migrate-spec-'));
    const database = target.newDatabaseName('migrate-refuse');
    try {
      const embedded = await SqliteStore.open(dataDir, EMBEDDED);
      await embedded.createPhoto({ id: 'p1', ownerId: owner(1), clientUploadId: 'u1', caption: '', author: '', createdAt: 1, blobs: [memoryBlob('display', Buffer.from('d'))] });
      await embedded.sharedSecret('cookie', () => 'the-laptop-secret-the-laptop-secret');
      await embedded.close();
      const mongo = await MongoStore.open(target.uri, { reserveBytes: 0, database });
      await mongo.sharedSecret('cookie', () => 'another-deployment-secret-another-one');
      await mongo.close();

      const run = await migrate({ MONGODB_URI: target.uri, MONGODB_DATABASE: database, DATA_DIR: dataDir });
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/Refused: MongoDB database \S+ already holds a different cookie secret.*Nothing was copied/);
      const left = await rawDocuments(target.uri, database);
      expect(left.gridFsFiles).toBe(0);
      expect(left.docs).not.toContain('"p1"');
    } finally {
      await dropDatabase(target.uri, database);
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, MONGO_START_TIMEOUT_MS + 60_000);

  it('to run without MONGODB_URI', async () => {
    const run = await migrate({ DATA_DIR: os.tmpdir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('MONGODB_URI is not set');
  }, 60_000);
});
