/**
 * The store contract: every Store adapter runs this suite unchanged.
 * A factory gives a fresh, empty store; `reopen` (when offered) opens the same data again.
 */
import { createHash } from 'node:crypto';
import { ErrorCode } from '@photobook/shared';
import { PIECE_BYTES, collect } from '../../server/store/blob-body';
import { type NewBlob, type Store } from '../../server/store/types';
import { describeAttachContract } from './attach-contract';
import { describeStagedContract } from './staged-contract';
import { describeBookContract } from './book-contract';
import { blob, newPhoto, newUpload, readAll } from './contract-fixtures';
import { describeFeedContract } from './feed-contract';
import { describeAdminSessions, describeHostConsole } from './host-contract';
import { describeLoadContract } from './load-contract';

export interface StoreHarness {
  readonly store: Store;
  reopen?(): Promise<Store>;
  /** A second store object on the same data, as another replica (or process) would have. */
  another?(): Promise<Store>;
  /**
   * Makes the open uploads look as if begun before the store kept their address (the field or
   * column absent), reopening the store if it must; `store` is the one to use afterwards.
   */
  forgetUploadAddresses?(): Promise<void>;
  cleanup(): Promise<void>;
}

export function describeStoreContract(name: string, open: () => Promise<StoreHarness>, timeoutMs?: number): void {
  describe(`${name} store (contract)`, () => {
    let harness: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      harness = await open();
      store = harness.store;
    }, timeoutMs);
    afterEach(async () => harness?.cleanup());

    describe('partial uploads', () => {
      it('starts a new upload with zero bytes received', async () => {
        const upload = await store.beginUpload(newUpload());
        expect(upload.received).toBe(0);
        expect((await store.getUpload(upload.id))?.size).toBe(10);
      });

      it('returns the existing upload when the same owner begins the same client upload id again', async () => {
        const first = await store.beginUpload(newUpload({ clientUploadId: 'sameClient01' }));
        await store.appendUpload(first.id, 0, Buffer.from('abc'));
        const again = await store.beginUpload(newUpload({ clientUploadId: 'sameClient01' }));
        expect(again.id).toBe(first.id);
        expect(again.received).toBe(3);
      });

      it('relabels an open upload with a new caption and name', async () => {
        const upload = await store.beginUpload(newUpload());
        await store.relabelUpload(upload.id, { caption: 'Better caption', author: 'Bo' });
        expect(await store.getUpload(upload.id)).toEqual(jasmine.objectContaining({ caption: 'Better caption', author: 'Bo' }));
      });

      it('keeps uploads of different owners with the same client upload id apart', async () => {
        const a = await store.beginUpload(newUpload({ clientUploadId: 'sameClient02' }));
        const b = await store.beginUpload(newUpload({ clientUploadId: 'sameClient02', ownerId: 'ownerBBBBBBBBBBBBBBBBB' }));
        expect(b.id).not.toBe(a.id);
      });

      it('appends bytes only at the current end and reads them back in order', async () => {
        const upload = await store.beginUpload(newUpload());
        expect(await store.appendUpload(upload.id, 0, Buffer.from('hello'))).toBe(5);
        expect(await store.appendUpload(upload.id, 2, Buffer.from('XX'))).toBe(5);
        expect(await store.appendUpload(upload.id, 9, Buffer.from('XX'))).toBe(5);
        expect(await store.appendUpload(upload.id, 5, Buffer.from('world'))).toBe(10);
        expect((await collect(store.readUpload(upload.id))).toString()).toBe('helloworld');
        expect((await store.getUpload(upload.id))?.received).toBe(10);
      });

      it('reads just the head of an upload, and nothing for a missing one', async () => {
        const upload = await store.beginUpload(newUpload());
        await store.appendUpload(upload.id, 0, Buffer.from('helloworld'));
        expect((await store.readUploadHead(upload.id, 4)).toString()).toBe('hell');
        expect((await store.readUploadHead(upload.id, 64)).toString()).toBe('helloworld');
        expect((await store.readUploadHead('missingUpload2', 64)).length).toBe(0);
      });

      it('serializes concurrent appends so exactly one of two racing chunks lands', async () => {
        const upload = await store.beginUpload(newUpload());
        const results = await Promise.all([
          store.appendUpload(upload.id, 0, Buffer.from('aaaaa')),
          store.appendUpload(upload.id, 0, Buffer.from('bbbbb')),
        ]);
        expect(results).toEqual([5, 5]);
        expect((await collect(store.readUpload(upload.id))).toString()).toBe('aaaaa');
      });

      it('refuses to append to an upload that does not exist', async () => {
        await expectAsync(store.appendUpload('missingUpload1', 0, Buffer.from('x'))).toBeRejectedWith(
          jasmine.objectContaining({ code: ErrorCode.UploadNotFound }),
        );
      });

      it('deletes an upload with its bytes, and deleting twice is harmless', async () => {
        const upload = await store.beginUpload(newUpload());
        await store.appendUpload(upload.id, 0, Buffer.from('abc'));
        await store.deleteUpload(upload.id);
        await store.deleteUpload(upload.id);
        expect(await store.getUpload(upload.id)).toBeNull();
        expect((await collect(store.readUpload(upload.id))).length).toBe(0);
      });

      it('lists as stale only uploads untouched since the cutoff', async () => {
        const old = await store.beginUpload(newUpload({ createdAt: Date.now() - 60_000 }));
        const fresh = await store.beginUpload(newUpload({ createdAt: Date.now() }));
        await store.appendUpload(fresh.id, 0, Buffer.from('x'));
        const stale = await store.listStaleUploads({ idleBefore: Date.now() - 30_000, createdBefore: 0 });
        expect(stale.map((u) => u.id)).toContain(old.id);
        expect(stale.map((u) => u.id)).not.toContain(fresh.id);
      });

      it('counts the bytes open uploads still expect', async () => {
        const before = await store.outstandingBytes();
        const a = await store.beginUpload(newUpload({ size: 10 }));
        await store.beginUpload(newUpload({ size: 20 }));
        await store.appendUpload(a.id, 0, Buffer.from('abc'));
        expect((await store.outstandingBytes()) - before).toBe(27);
        await store.deleteUpload(a.id);
        expect((await store.outstandingBytes()) - before).toBe(20);
      });

      it('keeps a touched upload from counting as idle, but not past its deadline', async () => {
        const waiting = await store.beginUpload(newUpload({ createdAt: Date.now() - 60_000 }));
        await store.appendUpload(waiting.id, 0, Buffer.from('abc'));
        const later = Date.now() + 60 * 60_000;
        await store.touchUpload(waiting.id, later);
        await store.touchUpload('missingUpload3', later);
        expect((await store.listStaleUploads({ idleBefore: later - 1_000, createdBefore: 0 })).map((u) => u.id)).not.toContain(waiting.id);
        expect((await store.listStaleUploads({ idleBefore: 0, createdBefore: Date.now() })).map((u) => u.id)).toContain(waiting.id);
        expect((await store.getUpload(waiting.id))?.received).toBe(3);
      });

      it('lists as stale a busy upload begun before the deadline cutoff', async () => {
        const early = await store.beginUpload(newUpload({ createdAt: Date.now() - 60_000 }));
        await store.appendUpload(early.id, 0, Buffer.from('x'));
        const stale = await store.listStaleUploads({ idleBefore: 0, createdBefore: Date.now() - 30_000 });
        expect(stale.map((u) => u.id)).toEqual([early.id]);
      });

      it('finds an upload by owner and client upload id, and counts an owner\'s open uploads', async () => {
        const a = await store.beginUpload(newUpload({ clientUploadId: 'countMe00001' }));
        await store.beginUpload(newUpload({ clientUploadId: 'countMe00002' }));
        await store.beginUpload(newUpload({ clientUploadId: 'countMe00003', ownerId: 'ownerBBBBBBBBBBBBBBBBB' }));
        expect((await store.findUpload(a.ownerId, 'countMe00001'))?.id).toBe(a.id);
        expect(await store.findUpload('ownerBBBBBBBBBBBBBBBBB', 'countMe00001')).toBeNull();
        expect(await store.countUploads(a.ownerId)).toBe(2);
        await store.deleteUpload(a.id);
        expect(await store.countUploads(a.ownerId)).toBe(1);
      });
    });

    describe('photos', () => {
      it('hands out increasing sequence numbers and lists newest first', async () => {
        expect(await store.currentSeq()).toBe(0);
        const a = await store.createPhoto(newPhoto());
        const b = await store.createPhoto(newPhoto());
        expect(b.seq).toBeGreaterThan(a.seq);
        expect(await store.currentSeq()).toBe(b.seq);
        expect((await store.listPhotos(10)).map((p) => p.id)).toEqual([b.id, a.id]);
        expect((await store.listPhotos(1)).length).toBe(1);
      });

      it('stores caption, author, owner and one record per variant', async () => {
        const photo = await store.createPhoto(newPhoto({ caption: 'Ünïcode 🎉', author: 'Zoë' }));
        expect(photo.caption).toBe('Ünïcode 🎉');
        expect(photo.author).toBe('Zoë');
        expect(photo.ownerId).toBe('ownerAAAAAAAAAAAAAAAAA');
        expect(photo.variants.map((v) => v.kind).sort()).toEqual(['display', 'original', 'thumb']);
        for (const v of photo.variants) expect(v.key).toMatch(/^[a-f0-9]{64}\.(webp|jpg)$/);
      });

      it('returns the first photo, storing nothing new, when the same upload is committed twice', async () => {
        const first = await store.createPhoto(newPhoto({ clientUploadId: 'commitTwice1' }));
        const second = await store.createPhoto(newPhoto({ clientUploadId: 'commitTwice1' }));
        expect(second.id).toBe(first.id);
        expect((await store.listPhotos(10)).length).toBe(1);
        expect((await store.findPhotoByUpload(first.ownerId, 'commitTwice1'))?.id).toBe(first.id);
      });

      it('lists changes after a sequence number, oldest first and bounded', async () => {
        const a = await store.createPhoto(newPhoto());
        const b = await store.createPhoto(newPhoto());
        const c = await store.createPhoto(newPhoto());
        expect((await store.changesSince(a.seq, 10)).map((p) => p.id)).toEqual([b.id, c.id]);
        expect((await store.changesSince(a.seq, 1)).map((p) => p.id)).toEqual([b.id]);
        expect(await store.changesSince(c.seq, 10)).toEqual([]);
      });

      it('serves public variants by content key with their content type', async () => {
        const photo = await store.createPhoto(newPhoto({ blobs: [blob('display', 'DISPLAY'), blob('thumb', 'THUMB'), blob('original', 'ORIG')] }));
        const display = photo.variants.find((v) => v.kind === 'display')!;
        const media = await store.openMedia(display.key);
        expect(media?.contentType).toBe('image/webp');
        expect(media?.bytes).toBe(7);
        expect((await readAll(media!.open())).toString()).toBe('DISPLAY');
      });

      it('never serves the original variant or an unknown key', async () => {
        const photo = await store.createPhoto(newPhoto());
        const original = photo.variants.find((v) => v.kind === 'original')!;
        expect(await store.openMedia(original.key)).toBeNull();
        expect(await store.openMedia(`${'0'.repeat(64)}.webp`)).toBeNull();
      });

      it('opens any variant of a photo by its kind, with its size and byte ranges, and null for one it lacks', async () => {
        const photo = await store.createPhoto(newPhoto({ blobs: [blob('display', 'DISPLAY'), blob('thumb', 'THUMB'), blob('original', 'ORIGINAL COPY')] }));
        const original = await store.openVariant(photo.id, 'original');
        expect([original?.contentType, original?.bytes]).toEqual(['image/jpeg', 13]);
        expect((await readAll(original!.open())).toString()).toBe('ORIGINAL COPY');
        expect((await readAll(original!.open({ start: 2, end: 5 }))).toString()).withContext('inclusive range').toBe('IGIN');
        expect((await readAll((await store.openVariant(photo.id, 'display'))!.open())).toString()).toBe('DISPLAY');
        expect(await store.openVariant(photo.id, 'source')).withContext('no source').toBeNull();
        expect(await store.openVariant('noSuchPhoto2', 'display')).toBeNull();
      });

      it('gets any photo by id, and null for an unknown id', async () => {
        const photo = await store.createPhoto(newPhoto());
        expect((await store.getPhoto(photo.id))?.clientUploadId).toBe(photo.clientUploadId);
        expect(await store.getPhoto('noSuchPhoto1')).toBeNull();
      });

      it('sweeps no live upload bytes and no blob a photo refers to', async () => {
        const photo = await store.createPhoto(newPhoto({ blobs: [blob('display', 'KEEPME'), blob('thumb', 'KEEP2'), blob('original', 'KEEP3')] }));
        const upload = await store.beginUpload(newUpload());
        await store.appendUpload(upload.id, 0, Buffer.from('abc'));
        expect((await store.sweepOrphans(Date.now() + 60_000)).removed).toBe(0);
        expect((await store.getUpload(upload.id))?.received).toBe(3);
        const display = photo.variants.find((v) => v.kind === 'display')!;
        expect((await readAll((await store.openMedia(display.key))!.open())).toString()).toBe('KEEPME');
      });

      it('keeps photos and uploads across a reopen', async () => {
        if (!harness.reopen) return pending('this adapter has no reopen');
        const photo = await store.createPhoto(newPhoto());
        const upload = await store.beginUpload(newUpload());
        await store.appendUpload(upload.id, 0, Buffer.from('abc'));
        store = await harness.reopen();
        expect((await store.listPhotos(10)).map((p) => p.id)).toEqual([photo.id]);
        expect((await store.getUpload(upload.id))?.received).toBe(3);
        expect(await store.currentSeq()).toBe(photo.seq);
      });
    });

    describe('streaming through the port', () => {
      it('reads a 50 MB upload back in pieces of at most 1 MB', async () => {
        const size = 50 * 1024 * 1024;
        const upload = await store.beginUpload(newUpload({ size }));
        const chunk = Buffer.alloc(255 * 1024);
        const sent = createHash('sha256');
        for (let at = 0, n = 0; at < size; n++) {
          const piece = chunk.subarray(0, Math.min(chunk.length, size - at));
          piece.fill(n % 251);
          sent.update(piece);
          at = await store.appendUpload(upload.id, at, piece);
        }
        const read = createHash('sha256');
        let total = 0;
        let largest = 0;
        for await (const piece of store.readUpload(upload.id)) {
          largest = Math.max(largest, piece.byteLength);
          total += piece.byteLength;
          read.update(piece);
        }
        expect(total).toBe(size);
        expect(largest).toBeLessThanOrEqual(PIECE_BYTES);
        expect(read.digest('hex')).toBe(sent.digest('hex'));
      }, 120_000);

      it('writes a 20 MB image from 1 MB pieces without holding them: each piece is gone once the next is asked for', async () => {
        const pieces = 20;
        // One buffer, refilled for every piece: a store that kept earlier pieces would store garbage.
        const piece = Buffer.alloc(PIECE_BYTES);
        const expected = createHash('sha256');
        for (let n = 0; n < pieces; n++) expected.update(piece.fill(n + 1));
        const body = async function* () {
          for (let n = 0; n < pieces; n++) yield piece.fill(n + 1);
        };
        const big: NewBlob = { kind: 'display', contentType: 'image/webp', width: 8000, height: 6000, bytes: pieces * PIECE_BYTES, body };
        const photo = await store.createPhoto(newPhoto({ blobs: [big, blob('thumb', 'T-big'), blob('original', 'O-big')] }));
        const display = photo.variants.find((v) => v.kind === 'display')!;
        expect(display.bytes).toBe(pieces * PIECE_BYTES);
        const served = createHash('sha256');
        for await (const part of (await store.openMedia(display.key))!.open()) served.update(part as Buffer);
        expect(served.digest('hex')).toBe(expected.digest('hex'));
      });

      it('refuses an image whose body holds other than its declared bytes, and stores no photo', async () => {
        const liar = { ...blob('display', 'twelve bytes'), bytes: 5 };
        const attempt = newPhoto({ blobs: [liar, blob('thumb', 'T-liar'), blob('original', 'O-liar')] });
        await expectAsync(store.createPhoto(attempt)).toBeRejected();
        expect(await store.getPhoto(attempt.id)).toBeNull();
      });
    });

    describe('photo lifecycle', () => {
      const OWNER = 'ownerAAAAAAAAAAAAAAAAA';
      const owner = { kind: 'owner', ownerId: OWNER } as const;
      const stranger = { kind: 'owner', ownerId: 'ownerZZZZZZZZZZZZZZZZZ' } as const;
      const host = { kind: 'host' } as const;

      it('lets the owner and the host edit a photo, each edit taking the next seq', async () => {
        const photo = await store.createPhoto(newPhoto());
        const edited = await store.updatePhoto(photo.id, owner, { caption: 'Cake!' });
        expect(edited?.caption).toBe('Cake!');
        expect(edited?.author).withContext('fields not given stay').toBe(photo.author);
        expect(edited!.seq).toBeGreaterThan(photo.seq);
        const byHost = await store.updatePhoto(photo.id, host, { author: 'Ana' });
        expect([byHost?.caption, byHost?.author]).toEqual(['Cake!', 'Ana']);
        expect(byHost!.seq).toBe(await store.currentSeq());
      });

      it('answers a stranger, a malformed actor id and an unknown photo alike, and changes nothing', async () => {
        const photo = await store.createPhoto(newPhoto());
        const seq = await store.currentSeq();
        expect(await store.updatePhoto(photo.id, stranger, { caption: 'mine now' })).toBeNull();
        expect(await store.updatePhoto(photo.id, { kind: 'owner', ownerId: "' OR 1=1 --" }, { caption: 'x' })).toBeNull();
        expect(await store.updatePhoto('noSuchPhoto9', owner, { caption: 'x' })).toBeNull();
        expect(await store.removePhoto(photo.id, stranger)).toBeNull();
        expect(await store.removePhoto('noSuchPhoto9', host)).toBeNull();
        expect((await store.getPhoto(photo.id))?.caption).toBe(photo.caption);
        expect(await store.currentSeq()).withContext('no seq taken').toBe(seq);
      });

      it('lets only the host change the state, and a hidden photo leaves the wall and its images', async () => {
        const photo = await store.createPhoto(newPhoto());
        expect(await store.updatePhoto(photo.id, owner, { state: 'hidden' })).toBeNull();
        const hidden = await store.updatePhoto(photo.id, host, { state: 'hidden' });
        expect(hidden?.state).toBe('hidden');
        expect(await store.listPhotos(10)).toEqual([]);
        const display = photo.variants.find((v) => v.kind === 'display')!;
        expect(await store.openMedia(display.key)).toBeNull();
        expect((await store.listOwnPhotos(OWNER, 10)).map((p) => p.state)).toEqual(['hidden']);
        expect((await store.updatePhoto(photo.id, host, { state: 'visible' }))?.state).toBe('visible');
        expect(await store.openMedia(display.key)).not.toBeNull();
      });

      it('removes a photo into a tombstone whose images are gone at once, and removing twice is harmless', async () => {
        const photo = await store.createPhoto(newPhoto());
        const display = photo.variants.find((v) => v.kind === 'display')!;
        const tombstone = await store.removePhoto(photo.id, owner);
        expect(tombstone?.state).toBe('removed');
        expect([tombstone?.caption, tombstone?.author, tombstone?.variants]).toEqual(['', '', []]);
        expect(await store.openMedia(display.key)).toBeNull();
        const seq = await store.currentSeq();
        expect((await store.removePhoto(photo.id, owner))?.state).toBe('removed');
        expect(await store.currentSeq()).withContext('a second removal takes no seq').toBe(seq);
        expect(await store.updatePhoto(photo.id, owner, { caption: 'back?' })).toBeNull();
        expect(await store.listOwnPhotos(OWNER, 10)).toEqual([]);
        expect(await store.findPhotoByUpload(OWNER, photo.clientUploadId)).not.toBeNull();
      });

      it('keeps the images another photo shares when one of them is removed', async () => {
        const shared = [blob('display', 'SAME-D'), blob('thumb', 'SAME-T'), blob('original', 'SAME-O')];
        const a = await store.createPhoto(newPhoto({ blobs: shared }));
        const b = await store.createPhoto(newPhoto({ blobs: shared }));
        await store.removePhoto(a.id, owner);
        const display = b.variants.find((v) => v.kind === 'display')!;
        expect((await readAll((await store.openMedia(display.key))!.open())).toString()).toBe('SAME-D');
        expect((await store.sweepOrphans(Date.now() + 60_000)).removed).toBe(0);
        await store.removePhoto(b.id, owner);
        expect(await store.openMedia(display.key)).toBeNull();
      });

      it('returns every change after a seq in order, edits and tombstones included, paged', async () => {
        const a = await store.createPhoto(newPhoto());
        const b = await store.createPhoto(newPhoto());
        const c = await store.createPhoto(newPhoto());
        const start = c.seq;
        await store.updatePhoto(a.id, owner, { caption: 'edited' });
        await store.removePhoto(b.id, owner);
        await store.updatePhoto(c.id, host, { state: 'hidden' });
        const changes = await store.changesSince(start, 10);
        expect(changes.map((p) => [p.id, p.state])).toEqual([[a.id, 'visible'], [b.id, 'removed'], [c.id, 'hidden']]);
        expect((await store.changesSince(start, 2)).map((p) => p.id)).toEqual([a.id, b.id]);
        expect((await store.changesSince(changes[1]!.seq, 2)).map((p) => p.id)).toEqual([c.id]);
      });

      it("lists one owner's photos that are not removed, newest first", async () => {
        const first = await store.createPhoto(newPhoto({ createdAt: 1_000 }));
        const second = await store.createPhoto(newPhoto({ createdAt: 2_000 }));
        const gone = await store.createPhoto(newPhoto({ createdAt: 3_000 }));
        await store.createPhoto(newPhoto({ ownerId: 'ownerBBBBBBBBBBBBBBBBB' }));
        await store.removePhoto(gone.id, owner);
        expect((await store.listOwnPhotos(OWNER, 10)).map((p) => p.id)).toEqual([second.id, first.id]);
      });
    });

    describe('recovery', () => {
      it('resolves a browser to itself until it recovers an owner with that owner’s current code', async () => {
        expect(await store.resolveOwner('browserBBBB')).toBe('browserBBBB');
        await store.setRecoveryCode('ownerAAAAAAAAAAAAAAAAA', 'hash-1', 1_000);
        expect(await store.recoverOwner('browserBBBB', 'hash-wrong')).toBeNull();
        expect(await store.resolveOwner('browserBBBB')).toBe('browserBBBB');
        expect(await store.recoverOwner('browserBBBB', 'hash-1')).toBe('ownerAAAAAAAAAAAAAAAAA');
        expect(await store.resolveOwner('browserBBBB')).toBe('ownerAAAAAAAAAAAAAAAAA');
        await store.setRecoveryCode('ownerAAAAAAAAAAAAAAAAA', 'hash-2', 2_000);
        expect(await store.recoverOwner('browserCCCC', 'hash-1')).withContext('the old code').toBeNull();
        expect(await store.recoverOwner('browserCCCC', 'hash-2')).toBe('ownerAAAAAAAAAAAAAAAAA');
      });

      it('moves the recovering browser’s own photos to the owner it recovers', async () => {
        const mine = await store.createPhoto(newPhoto({ ownerId: 'browserDDDD' }));
        await store.setRecoveryCode('ownerAAAAAAAAAAAAAAAAA', 'hash-3', 1_000);
        await store.recoverOwner('browserDDDD', 'hash-3');
        expect((await store.getPhoto(mine.id))?.ownerId).toBe('ownerAAAAAAAAAAAAAAAAA');
      });
    });

    describe('durable jobs', () => {
      const photoWithSource = () => {
        const p = newPhoto();
        return { ...p, blobs: [...p.blobs.filter((b) => b.kind !== 'original'), blob('source', `s-${p.id}`)] };
      };

      it('makes an archive job with a photo that has a source, and lets one worker hold it at a time', async () => {
        const photo = await store.createPhoto(photoWithSource());
        const now = Date.now();
        const first = await store.claimJob('archive', 'worker-a', now, 1_000);
        expect([first?.subject, first?.attempts]).toEqual([photo.id, 1]);
        expect(await store.claimJob('archive', 'worker-b', now + 500, 1_000)).withContext('leased').toBeNull();
        const taken = await store.claimJob('archive', 'worker-b', now + 1_500, 1_000);
        expect([taken?.id, taken?.attempts]).withContext('worker-a died: its lease ran out').toEqual([first!.id, 2]);
        await store.completeJob(first!.id, 'worker-a');
        expect(await store.claimJob('archive', 'worker-c', now + 3_000, 1_000)).withContext('a stale worker cannot finish it').not.toBeNull();
      });

      it('makes a failed job due again at its retry time, and a completed one is gone', async () => {
        await store.createPhoto(photoWithSource());
        const now = Date.now();
        const job = (await store.claimJob('archive', 'w', now, 60_000))!;
        await store.failJob(job.id, 'w', 'boom', now + 10_000);
        expect(await store.claimJob('archive', 'w', now + 5_000, 60_000)).toBeNull();
        const again = (await store.claimJob('archive', 'w', now + 10_000, 60_000))!;
        await store.completeJob(again.id, 'w');
        expect(await store.claimJob('archive', 'w', now + 10_000_000, 60_000)).toBeNull();
      });

      it('swaps the source for the archive copy in place, and not for a removed photo', async () => {
        const photo = await store.createPhoto(photoWithSource());
        expect(await collect((await store.readVariant(photo.id, 'source'))!.body)).toEqual(Buffer.from(`s-${photo.id}`));
        expect(await store.replaceVariant(photo.id, 'source', blob('original', 'the archive copy'))).toBeTrue();
        expect(await store.readVariant(photo.id, 'source')).toBeNull();
        expect((await collect((await store.readVariant(photo.id, 'original'))!.body)).toString()).toBe('the archive copy');
        expect(await store.replaceVariant(photo.id, 'source', blob('original', 'again'))).withContext('no source any more').toBeFalse();
        const gone = await store.createPhoto(photoWithSource());
        await store.removePhoto(gone.id, { kind: 'host' });
        expect(await store.replaceVariant(gone.id, 'source', blob('original', 'late'))).toBeFalse();
      });
    });

    describe('storage room', () => {
      it('answers STORAGE_FULL for bytes that would eat into the reserve, and nothing for a small write', async () => {
        await expectAsync(store.ensureRoom(1)).toBeResolved();
        const status = await store.storage();
        // A server that does not report its disk (FerretDB) leaves it to its own out-of-disk errors.
        if (status.freeBytes === null) {
          await expectAsync(store.ensureRoom(Number.MAX_SAFE_INTEGER)).withContext('free space unknown').toBeResolved();
        } else {
          await expectAsync(store.ensureRoom(Number.MAX_SAFE_INTEGER)).toBeRejectedWith(jasmine.objectContaining({ code: ErrorCode.StorageFull }));
        }
        expect(status.full).toBeFalse();
        expect(status.reserveBytes).toBeGreaterThan(0);
      });
    });

    describe('host settings', () => {
      it('starts with uploads open and keeps a pause with its message, across a reopen', async () => {
        expect(await store.readSettings()).toEqual({ uploadsPaused: false, pauseMessage: '', approvalRequired: false, event: {} });
        const paused = await store.updateSettings({ uploadsPaused: true, pauseMessage: 'Speeches — back at 9', approvalRequired: true });
        expect(paused).toEqual({ uploadsPaused: true, pauseMessage: 'Speeches — back at 9', approvalRequired: true, event: {} });
        expect(await store.readSettings()).toEqual(paused);
        if (!harness.reopen) return;
        store = await harness.reopen();
        expect((await store.readSettings()).pauseMessage).toBe('Speeches — back at 9');
      });

      it('keeps event settings exactly as saved, field by field and one level deep, across a reopen', async () => {
        const wall = { theme: 'dark', interval: 8, captions: true };
        await store.updateSettings({ event: { title: 'Ana & Ben — 12.6.', wall, tags: ['a', 'b'], none: null } });
        expect((await store.readSettings()).event).toEqual({ title: 'Ana & Ben — 12.6.', wall, tags: ['a', 'b'], none: null });
        const next = await store.updateSettings({ event: { 'wall.interval': 12, title: 'Kept' } });
        expect(next.event).toEqual({ title: 'Kept', wall: { ...wall, interval: 12 }, tags: ['a', 'b'], none: null });
        expect(next.uploadsPaused).withContext('fields the patch does not name stay').toBeFalse();
        if (!harness.reopen) return;
        store = await harness.reopen();
        expect((await store.readSettings()).event).toEqual(next.event);
      });

      it('keeps both of two patches of different fields written at the same moment', async () => {
        await store.updateSettings({ event: { wall: { captions: true } } });
        await Promise.all([
          store.updateSettings({ uploadsPaused: true, pauseMessage: 'Cake time' }),
          store.updateSettings({ approvalRequired: true }),
          store.updateSettings({ event: { title: 'Both stay' } }),
          store.updateSettings({ event: { 'wall.captions': false } }),
          store.updateSettings({ event: { 'wall.interval': 9 } }),
        ]);
        expect(await store.readSettings()).toEqual({
          uploadsPaused: true,
          pauseMessage: 'Cake time',
          approvalRequired: true,
          event: { title: 'Both stay', wall: { captions: false, interval: 9 } },
        });
      });

      it('refuses a path that is not a plain field name, and changes nothing', async () => {
        for (const path of ['$where', 'a.b.c', 'wall.$set', '__proto__', 'wall.__proto__', '', 'a..b']) {
          await expectAsync(store.updateSettings({ event: { [path]: 1 }, uploadsPaused: true })).withContext(path).toBeRejected();
        }
        expect(await store.readSettings()).toEqual({ uploadsPaused: false, pauseMessage: '', approvalRequired: false, event: {} });
      });
    });

    describeAttachContract(() => harness);
    describeStagedContract(() => harness);
    describeFeedContract(() => harness);
    describeHostConsole(() => harness);
    describeAdminSessions(() => harness);
    describeLoadContract(() => harness);
    describeBookContract(() => harness);
  });
}
