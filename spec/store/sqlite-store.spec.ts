import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCode } from '@photobook/shared';
import { DEFAULT_EMBEDDED_OPTIONS, SqliteStore } from '../../server/store/embedded/sqlite-store';
import { memoryBlob } from '../fixtures/blobs';
import { FaultyDisk } from '../fixtures/faulty-disk';
import { filesUnder } from '../fixtures/server';
import type { Store } from '../../server/store/types';
import { describeStoreContract } from './store-contract';

describeStoreContract('embedded (SQLite + files)', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-store-'));
  let current: Store = await SqliteStore.open(dir);
  const others: Store[] = [];
  return {
    get store() {
      return current;
    },
    async reopen() {
      await current.close();
      current = await SqliteStore.open(dir);
      return current;
    },
    async another() {
      const other = await SqliteStore.open(dir);
      others.push(other);
      return other;
    },
    async forgetUploadAddresses() {
      // A database from before the column: dropped with the store closed, added back at open.
      await current.close();
      const db = new Database(path.join(dir, 'photobook.sqlite'));
      db.exec('ALTER TABLE uploads DROP COLUMN address_key');
      db.close();
      current = await SqliteStore.open(dir);
    },
    async cleanup() {
      for (const other of others) await other.close();
      await current.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
});

describe('the embedded store after a crash', () => {
  let dir: string;
  let store: SqliteStore;
  let disk: FaultyDisk;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-orphans-'));
    disk = new FaultyDisk();
    store = await SqliteStore.open(dir, { ...DEFAULT_EMBEDDED_OPTIONS, disk });
  });
  afterEach(async () => {
    await store.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const photo = (tag: string) => ({
    id: `photo-${tag}-0001`,
    ownerId: 'ownerAAAAAAAAAAAAAAAAA',
    clientUploadId: `client-${tag}-01`,
    caption: '',
    author: '',
    createdAt: 1_000,
    blobs: (['original', 'display', 'thumb'] as const).map((kind) => memoryBlob(kind, Buffer.from(`${kind}-${tag}`), 4, 3)),
  });

  it('never deletes a file merely because the database does not mention it, however old', async () => {
    const strangers = [
      path.join(dir, 'uploads', 'goneUpload01.part'),
      path.join(dir, 'media', 'ab', `ab${'0'.repeat(62)}.webp.123456.tmp`),
      path.join(dir, 'media', 'cd', `cd${'1'.repeat(62)}.webp`),
    ];
    for (const file of strangers) {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, 'restored from another backup');
      await fs.utimes(file, new Date(0), new Date(0));
    }
    expect((await store.sweepOrphans(Date.now() + 60_000)).removed).toBe(0);
    for (const file of strangers) expect(await fs.readFile(file, 'utf8')).toBe('restored from another backup');
  });

  it('sweeps the blobs of a photo whose write was recorded and never finished, once past the grace period', async () => {
    // The third blob fails: the first two files exist, behind intents, and no photo refers to them.
    const torn = photo('torn');
    disk.fail({ op: 'write', path: /\.tmp$/, after: 2, times: 1 });
    await expectAsync(store.createPhoto(torn)).toBeRejectedWith(jasmine.objectContaining({ code: ErrorCode.Internal }));
    const left = await filesUnder(path.join(dir, 'media'));
    expect(left.length).toBe(2);
    expect(left.every((name) => !name.endsWith('.tmp'))).withContext('temp file of the failed write').toBeTrue();

    expect((await store.sweepOrphans(torn.createdAt)).removed).withContext('within the grace period').toBe(0);
    expect((await store.sweepOrphans(torn.createdAt + 1)).removed).toBe(2);
    expect(await filesUnder(path.join(dir, 'media'))).toEqual([]);
    expect((await store.sweepOrphans(Date.now() + 60_000)).removed).withContext('intents are finished').toBe(0);
  });

  it('keeps a blob another photo refers to when a later photo with the same bytes fails', async () => {
    const kept = await store.createPhoto(photo('shared'));
    const twin = photo('shared');
    const failing = { ...twin, id: 'photo-twin-00001', clientUploadId: 'client-twin-001', blobs: [...twin.blobs, memoryBlob('display', Buffer.from('new display'))] };
    disk.fail({ op: 'rename', times: 1 });
    await expectAsync(store.createPhoto(failing)).toBeRejected();
    expect((await store.sweepOrphans(Date.now() + 60_000)).removed).toBe(0);
    for (const v of kept.variants) {
      expect(await fs.readFile(path.join(dir, 'media', v.key.slice(0, 2), v.key), 'utf8')).toBe(`${v.kind}-shared`);
    }
  });

  it("deletes a removed photo's image files from disk at once, and the sweep finishes one it could not", async () => {
    const first = await store.createPhoto(photo('gone'));
    const second = await store.createPhoto({ ...photo('stays'), id: 'photo-stay-0001', clientUploadId: 'client-stay-01' });
    disk.fail({ op: 'rm', times: 1 });
    await store.removePhoto(first.id, { kind: 'owner', ownerId: first.ownerId });
    expect((await filesUnder(path.join(dir, 'media'))).length).withContext('one rm failed').toBe(4);
    expect((await store.sweepOrphans(Date.now() + 60_000)).removed).toBe(1);
    expect((await filesUnder(path.join(dir, 'media'))).sort()).toEqual(second.variants.map((v) => v.key).sort());
  });

  it("leaves a full copy's file to the sweep when its photo went while it was written, and keeps a preview whole when the write fails (UP25)", async () => {
    const media = path.join(dir, 'media');
    const owner = { kind: 'owner', ownerId: 'ownerAAAAAAAAAAAAAAAAA' } as const;
    const previewOf = (tag: string) => ({ ...photo(tag), blobs: photo(tag).blobs.filter((b) => b.kind !== 'original') });
    const gone = await store.createPhoto(previewOf('gone'));
    const full = memoryBlob('source', Buffer.from('full copy, too late'));
    const late = {
      ...full,
      body: async function* () {
        await store.removePhoto(gone.id, owner);
        yield* full.body();
      },
    };
    expect(await store.attachSource(gone.id, owner.ownerId, late)).toBeNull();
    expect((await filesUnder(media)).length).withContext('only the refused file, behind its intent').toBe(1);
    expect((await store.sweepOrphans(Date.now() + 60_000)).removed).toBe(1);
    expect(await filesUnder(media)).toEqual([]);

    const kept = await store.createPhoto(previewOf('kept'));
    disk.fail({ op: 'rename', times: 1 });
    await expectAsync(store.attachSource(kept.id, owner.ownerId, memoryBlob('source', Buffer.from('torn')))).toBeRejectedWith(
      jasmine.objectContaining({ code: ErrorCode.Internal }),
    );
    expect(await store.getPhoto(kept.id)).toEqual(kept);
    expect(await store.jobQueue()).toEqual({ depth: 0, oldestQueuedAt: null });
    await store.sweepOrphans(Date.now() + 60_000);
    expect((await filesUnder(media)).sort()).toEqual(kept.variants.map((v) => v.key).sort());
  });

  it('rewrites owner ids from before owner keys to keys, once, so those guests keep their photos, number and block', async () => {
    const legacy = 'AbCdEfGhIjKlMnOpQrStUv'; // a 22-character cookie id, as stored before
    const old = await store.createPhoto({ ...photo('legacy'), ownerId: legacy });
    await store.blockOwnerOf(old.id);
    const keyOf = (uid: string) => `key-of-${uid}-padded-to-be-longer-than-22`;
    expect(store.rekeyLegacyOwners(keyOf)).toBe(1);
    expect(store.rekeyLegacyOwners(keyOf)).withContext('already keys').toBe(0);
    expect((await store.listOwnPhotos(keyOf(legacy), 10)).length).toBe(1);
    expect([...(await store.guestsOf([legacy, keyOf(legacy)])).entries()]).toEqual([[keyOf(legacy), { number: 1, blocked: true }]]);
    expect(await store.isBlocked(keyOf(legacy))).toBeTrue();
  });

  it('keeps sweeping past a file it cannot remove, reports it, and removes it next time', async () => {
    disk.fail({ op: 'write', path: /\.tmp$/, after: 1, times: 1 });
    await expectAsync(store.createPhoto(photo('stuck'))).toBeRejected();
    disk.fail({ op: 'rm', code: 'EIO' });
    const report = await store.sweepOrphans(Date.now() + 60_000);
    expect(report.errors.map((e) => (e as { code?: string }).code)).toEqual([ErrorCode.Internal]);
    disk.clear();
    expect((await store.sweepOrphans(Date.now() + 60_000)).removed).toBe(1);
    expect(await filesUnder(path.join(dir, 'media'))).toEqual([]);
  });
});

describe('guest numbers in an embedded database from before them', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-guests-'));
    store = await SqliteStore.open(dir);
  });
  afterEach(async () => {
    await store.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const add = (ownerId: string, tag: string) =>
    store.createPhoto({
      id: `photo-${tag}`,
      ownerId,
      clientUploadId: `client-${tag}`,
      caption: '',
      author: '',
      createdAt: 1_000,
      blobs: (['original', 'display', 'thumb'] as const).map((kind) => memoryBlob(kind, Buffer.from(`${kind}-${tag}`))),
    });
  const owners = ['ownerBenBBBBBBBBBBBBBB', 'ownerAnaAAAAAAAAAAAAAA', 'ownerCyCCCCCCCCCCCCCCC', 'ownerDanDDDDDDDDDDDDDD'];
  const numbers = async () => {
    const guests = await store.guestsOf(owners);
    return owners.map((o) => guests.get(o)?.number ?? null);
  };
  /** What a database written before guest numbers looks like: the store closed, then raw SQL on its file. */
  const rewind = async (sql: string) => {
    await store.close();
    const db = new Database(path.join(dir, 'photobook.sqlite'));
    db.exec(sql);
    db.close();
    store = await SqliteStore.open(dir);
  };

  it('numbers the owners of existing photos at open, in the order their first photo was stored, and only once', async () => {
    const [ben, ana, cy] = owners as [string, string, string];
    const first = await add(ben, 'ben-1');
    await add(ana, 'ana-1');
    await add(ben, 'ben-2');
    const gone = await add(cy, 'cy-1');
    await store.updatePhoto(first.id, { kind: 'host' }, { caption: 'edited: its seq is now the newest' });
    await store.removePhoto(gone.id, { kind: 'host' });
    await rewind(`DROP TABLE guests; DELETE FROM counters WHERE name = 'guest';`);
    expect(await numbers()).toEqual([1, 2, 3, null]);
    await store.close();
    store = await SqliteStore.open(dir);
    expect(await numbers()).withContext('reopened again').toEqual([1, 2, 3, null]);
    await add(owners[3]!, 'dan-1');
    expect(await numbers()).withContext('a new guest').toEqual([1, 2, 3, 4]);
  });

  it('gives an owner whose number is missing the next one past every number held', async () => {
    for (const [i, owner] of owners.entries()) await add(owner, `owner-${i}`);
    await rewind(`DELETE FROM guests WHERE number = 2;`);
    expect(await numbers()).toEqual([1, 5, 3, 4]);
  });
});
