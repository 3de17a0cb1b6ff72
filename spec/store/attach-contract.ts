/**
 * The store contract, continued: a photo made from the phone's preview gets its full copy later
 * (attachSource, UP25), once, and only its owner's while it is not removed. Called from describeStoreContract.
 */
import { collect } from '../../server/store/blob-body';
import type { NewBlob, NewPhoto, PhotoRecord, Store } from '../../server/store/types';
import { blob, newPhoto } from './contract-fixtures';
import type { StoreHarness } from './store-contract';

const OWNER = 'ownerAAAAAAAAAAAAAAAAA';
const STRANGER = 'ownerZZZZZZZZZZZZZZZZZ';

/** What the preview's commit stores (UP23): display and thumb, no source, no archive job. */
function previewPhoto(overrides: Partial<NewPhoto> = {}): NewPhoto {
  const p = newPhoto(overrides);
  return { ...p, blobs: p.blobs.filter((b) => b.kind === 'display' || b.kind === 'thumb') };
}

/** A blob that counts how often the store opens its body: zero means nothing of it was stored. */
function watched(b: NewBlob): NewBlob & { readonly opened: () => number } {
  let opened = 0;
  return {
    ...b,
    body: () => {
      opened++;
      return b.body();
    },
    opened: () => opened,
  };
}

/** A blob whose body first lets `act` happen: something else changes the photo while its bytes are written. */
function meanwhile(b: NewBlob, act: () => Promise<unknown>): NewBlob {
  return {
    ...b,
    body: async function* () {
      await act();
      yield* b.body();
    },
  };
}

const kinds = (photo: PhotoRecord | null) => photo?.variants.map((v) => v.kind).sort();

export function describeAttachContract(current: () => StoreHarness): void {
  describe("a preview's full copy", () => {
    let store: Store;
    beforeEach(() => {
      store = current().store;
    });

    const sourceOf = async (photoId: string) => {
      const read = await store.readVariant(photoId, 'source');
      return read && (await collect(read.body)).toString();
    };

    it("attaches the owner's full copy as the source, under the next seq, with an archive job queued now that then makes the original (UP25)", async () => {
      const preview = await store.createPhoto(previewPhoto({ createdAt: 2_000 }));
      expect(await store.jobQueue()).withContext('a preview queues no job (UP23)').toEqual({ depth: 0, oldestQueuedAt: null });
      const before = await store.currentSeq();
      const startedAt = Date.now();
      const attached = await store.attachSource(preview.id, OWNER, blob('source', 'FULL COPY'));
      expect(kinds(attached)).toEqual(['display', 'source', 'thumb']);
      expect(attached!.variants.find((v) => v.kind === 'source')!.bytes).toBe('FULL COPY'.length);
      expect(attached!.seq).toBeGreaterThan(before);
      expect(await store.currentSeq()).toBe(attached!.seq);
      expect([attached!.caption, attached!.state, attached!.guest]).toEqual([preview.caption, 'visible', preview.guest]);
      expect(await store.getPhoto(preview.id)).toEqual(attached);
      expect((await store.changesSince(before, 10)).map((p) => p.id)).withContext('consoles and pages hear of it').toEqual([preview.id]);
      expect(await sourceOf(preview.id)).toBe('FULL COPY');

      const queue = await store.jobQueue();
      expect(queue.depth).toBe(1);
      expect(queue.oldestQueuedAt).withContext('queued at the attach, not at the photo').toBeGreaterThanOrEqual(startedAt);
      expect(queue.oldestQueuedAt!).toBeLessThanOrEqual(Date.now());
      const job = await store.claimJob('archive', 'worker', Date.now(), 60_000);
      expect(job?.subject).toBe(preview.id);
      expect(await store.replaceVariant(preview.id, 'source', blob('original', 'ARCHIVE COPY'))).toBeTrue();
      await store.completeJob(job!.id, 'worker');
      expect(kinds(await store.getPhoto(preview.id))).toEqual(['display', 'original', 'thumb']);
      expect((await collect((await store.readVariant(preview.id, 'original'))!.body)).toString()).toBe('ARCHIVE COPY');
      expect(await store.jobQueue()).toEqual({ depth: 0, oldestQueuedAt: null });
    });

    it('answers a repeated attach with the photo unchanged, storing nothing and taking no seq, before and after the archive copy', async () => {
      const preview = await store.createPhoto(previewPhoto());
      const first = await store.attachSource(preview.id, OWNER, blob('source', 'FIRST'));
      const again = watched(blob('source', 'SECOND'));
      expect(await store.attachSource(preview.id, OWNER, again)).toEqual(first);
      expect(await sourceOf(preview.id)).toBe('FIRST');
      const job = (await store.claimJob('archive', 'worker', Date.now(), 60_000))!;
      expect(await store.claimJob('archive', 'other', Date.now(), 60_000)).withContext('one job only').toBeNull();
      await store.replaceVariant(preview.id, 'source', blob('original', 'ARCHIVED'));
      await store.completeJob(job.id, 'worker');
      const archived = await store.getPhoto(preview.id);
      expect(await store.attachSource(preview.id, OWNER, again)).toEqual(archived);
      expect(again.opened()).withContext('the body was never read').toBe(0);
      expect(await store.currentSeq()).toBe(first!.seq);
      expect(await store.jobQueue()).toEqual({ depth: 0, oldestQueuedAt: null });
    });

    it('answers a photo made whole (with its source or its original) unchanged, storing nothing', async () => {
      const withOriginal = await store.createPhoto(newPhoto());
      const p = newPhoto();
      const withSource = await store.createPhoto({ ...p, blobs: [...p.blobs.filter((b) => b.kind !== 'original'), blob('source', `s-${p.id}`)] });
      const seq = await store.currentSeq();
      const late = watched(blob('source', 'LATE'));
      expect(await store.attachSource(withOriginal.id, OWNER, late)).toEqual(withOriginal);
      expect(await store.attachSource(withSource.id, OWNER, late)).toEqual(withSource);
      expect(late.opened()).toBe(0);
      expect(await store.currentSeq()).toBe(seq);
      expect((await store.jobQueue()).depth).withContext("only the whole upload's own job").toBe(1);
    });

    it("answers null for a missing, removed or someone else's photo, storing nothing and taking no seq", async () => {
      const theirs = await store.createPhoto(previewPhoto({ ownerId: STRANGER }));
      const gone = await store.createPhoto(previewPhoto());
      await store.removePhoto(gone.id, { kind: 'owner', ownerId: OWNER });
      const seq = await store.currentSeq();
      const full = watched(blob('source', 'NOBODY'));
      expect(await store.attachSource('noSuchPhoto7', OWNER, full)).toBeNull();
      expect(await store.attachSource(gone.id, OWNER, full)).toBeNull();
      expect(await store.attachSource(theirs.id, OWNER, full)).toBeNull();
      expect(full.opened()).toBe(0);
      expect(await store.getPhoto(theirs.id)).toEqual(theirs);
      expect((await store.getPhoto(gone.id))?.variants).toEqual([]);
      expect(await store.currentSeq()).toBe(seq);
      expect(await store.jobQueue()).toEqual({ depth: 0, oldestQueuedAt: null });
    });

    it('attaches to a photo the host hid: not removed is enough', async () => {
      const preview = await store.createPhoto(previewPhoto());
      await store.updatePhoto(preview.id, { kind: 'host' }, { state: 'hidden' });
      const attached = await store.attachSource(preview.id, OWNER, blob('source', 'HIDDEN FULL'));
      expect([attached?.state, kinds(attached)]).toEqual(['hidden', ['display', 'source', 'thumb']]);
    });

    it('refuses at the write a photo removed while its bytes were stored: null, no job, and the sweep keeps nothing of them', async () => {
      const preview = await store.createPhoto(previewPhoto());
      let removed: PhotoRecord | null = null;
      const racing = meanwhile(blob('source', 'TOO LATE'), async () => {
        removed = await store.removePhoto(preview.id, { kind: 'owner', ownerId: OWNER });
      });
      expect(await store.attachSource(preview.id, OWNER, racing)).toBeNull();
      const tombstone = await store.getPhoto(preview.id);
      expect([tombstone?.state, tombstone?.variants]).toEqual(['removed', []]);
      // A seq a lost write took may stay empty (a gap): the photo itself took none after its removal.
      expect(tombstone?.seq).toBe(removed!.seq);
      expect(await store.claimJob('archive', 'worker', Date.now(), 60_000)).toBeNull();
      expect(await store.jobQueue()).toEqual({ depth: 0, oldestQueuedAt: null });
      await store.sweepOrphans(Date.now() + 60_000);
      expect(await store.readVariant(preview.id, 'source')).toBeNull();
    });

    it('keeps the first of two attaches that race for one photo: the other answers that photo and its bytes go', async () => {
      const preview = await store.createPhoto(previewPhoto());
      let winner: PhotoRecord | null = null;
      const loser = meanwhile(blob('source', 'LOSER'), async () => {
        winner = await store.attachSource(preview.id, OWNER, blob('source', 'WINNER'));
      });
      const answer = await store.attachSource(preview.id, OWNER, loser);
      expect(kinds(winner)).toEqual(['display', 'source', 'thumb']);
      expect(answer).toEqual(winner);
      expect((await store.getPhoto(preview.id))?.seq).withContext("the loser's write took no seq of the photo").toBe(winner!.seq);
      expect((await store.jobQueue()).depth).toBe(1);
      await store.sweepOrphans(Date.now() + 60_000);
      expect(await sourceOf(preview.id)).withContext("the sweep leaves the winner's file").toBe('WINNER');
      const job = (await store.claimJob('archive', 'worker', Date.now(), 60_000))!;
      expect(await store.replaceVariant(job.subject, 'source', blob('original', 'ARCHIVED'))).toBeTrue();
    });
  });
}
