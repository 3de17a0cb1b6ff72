/**
 * The store contract, continued: a photo's source staged while its variants are made (stageBlob),
 * then taken by createPhoto or discarded, never left behind. Called from describeStoreContract.
 */
import { ErrorCode } from '@photobook/shared';
import { collect } from '../../server/store/blob-body';
import type { NewBlob, NewPhoto, StagedFile, Store } from '../../server/store/types';
import { blob, newPhoto } from './contract-fixtures';
import type { StoreHarness } from './store-contract';

/** Later than any intent a case makes: the sweep then finishes every one of them. */
const afterAll = () => Date.now() + 60_000;

/** The photo with its source staged: what PhotoMaker hands createPhoto for a whole upload. */
function withStaged(photo: NewPhoto, source: NewBlob, staged: StagedFile): NewPhoto {
  const { body: _body, ...meta } = source;
  return { ...photo, blobs: [...photo.blobs.filter((b) => b.kind !== 'original'), { ...meta, staged }] };
}

export function describeStagedContract(current: () => StoreHarness): void {
  describe('a source staged while the variants are made', () => {
    let store: Store;
    beforeEach(() => {
      store = current().store;
    });

    it("becomes the photo's source, with its archive job, leaving nothing for the sweep", async () => {
      const source = blob('source', 'THE UPLOAD AS SENT');
      const staged = await store.stageBlob(source, Date.now());
      expect(staged).toEqual({ kind: 'source', contentType: source.contentType, bytes: source.bytes });
      const photo = await store.createPhoto(withStaged(newPhoto(), source, staged));
      expect(photo.variants.map((v) => v.kind).sort()).toEqual(['display', 'source', 'thumb']);
      const read = await store.readVariant(photo.id, 'source');
      expect(read && (await collect(read.body)).toString()).toBe('THE UPLOAD AS SENT');
      expect((await store.jobQueue()).depth).toBe(1);
      expect((await store.sweepOrphans(afterAll())).removed).toBe(0);
    });

    it('is gone at once when discarded, while one nobody took or discarded (a crash) is the sweep\'s', async () => {
      await store.discardStaged(await store.stageBlob(blob('source', 'NOT A PHOTO AFTER ALL'), Date.now()));
      expect((await store.sweepOrphans(afterAll())).removed).withContext('discarded').toBe(0);
      await store.stageBlob(blob('source', 'THE SERVER DIED HERE'), Date.now());
      expect((await store.sweepOrphans(afterAll())).removed).withContext('left behind').toBe(1);
    });

    it('goes when its photo exists already (a repeated commit), which stays as it was', async () => {
      const first = await store.createPhoto(newPhoto());
      const source = blob('source', 'SENT AGAIN');
      const staged = await store.stageBlob(source, Date.now());
      const again = await store.createPhoto(withStaged(newPhoto({ clientUploadId: first.clientUploadId }), source, staged));
      expect(again).toEqual(first);
      expect((await store.sweepOrphans(afterAll())).removed).toBe(0);
      expect(await store.readVariant(first.id, 'source')).toBeNull();
    });

    it('is taken once: a second photo handed the same staged blob is refused, and stores nothing', async () => {
      const source = blob('source', 'ONCE');
      const staged = await store.stageBlob(source, Date.now());
      const first = await store.createPhoto(withStaged(newPhoto(), source, staged));
      const second = newPhoto();
      await expectAsync(store.createPhoto(withStaged(second, source, staged))).toBeRejectedWith(jasmine.objectContaining({ code: ErrorCode.Internal }));
      expect(await store.getPhoto(second.id)).toBeNull();
      await store.sweepOrphans(afterAll());
      const kept = await store.readVariant(first.id, 'source');
      expect(kept && (await collect(kept.body)).toString()).withContext("the first photo's source stays").toBe('ONCE');
    });

    it('goes at once when a blob written before it fails, and nothing of the photo is left', async () => {
      const source = blob('source', 'STAGED, NEVER TAKEN');
      const staged = await store.stageBlob(source, Date.now());
      const photo = newPhoto();
      const failing: NewBlob = {
        ...blob('display', 'HALF A DISPLAY'),
        body: async function* () {
          yield Buffer.from('HALF A');
          throw new Error('the disk went away');
        },
      };
      const { body: _body, ...meta } = source;
      await expectAsync(store.createPhoto({ ...photo, blobs: [failing, { ...meta, staged }] })).toBeRejectedWith(
        jasmine.objectContaining({ code: ErrorCode.Internal }),
      );
      expect(await store.getPhoto(photo.id)).toBeNull();
      expect((await store.sweepOrphans(afterAll())).removed).withContext('neither the staged source nor the half display').toBe(0);
    });
  });
}
