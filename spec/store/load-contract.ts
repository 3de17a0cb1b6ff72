/**
 * The store contract, continued: the readings that caps and metrics take of the store's load
 * (partial-upload bytes per network address, the durable job queue). Called from describeStoreContract.
 */
import type { NewPhoto, Store, UploadRecord } from '../../server/store/types';
import { blob, newPhoto, newUpload } from './contract-fixtures';
import type { StoreHarness } from './store-contract';

const HOME = 'addrHomeWifiHHHHHHHHHH';
const CAFE = 'addrCafeCCCCCCCCCCCCCC';

/** A photo whose source waits for its archive copy: storing it queues an archive job. */
function photoWithSource(overrides: Partial<NewPhoto> = {}): NewPhoto {
  const p = newPhoto(overrides);
  return { ...p, blobs: [...p.blobs.filter((b) => b.kind !== 'original'), blob('source', `s-${p.id}`)] };
}

export function describeLoadContract(current: () => StoreHarness): void {
  let store: Store;
  const useCurrent = () => {
    store = current().store;
  };

  /** What the upload service's commit does to the store: the photo under the upload's id, then the upload goes. */
  const commit = async (upload: UploadRecord) => {
    await store.appendUpload(upload.id, 0, Buffer.alloc(upload.size, 1));
    await store.createPhoto(newPhoto({ id: upload.id, ownerId: upload.ownerId, clientUploadId: upload.clientUploadId }));
    await store.deleteUpload(upload.id);
  };
  const reserved = async () => [await store.reservedUploadBytes(HOME), await store.reservedUploadBytes(CAFE), await store.reservedUploadBytes()];

  describe('partial-upload bytes per address', () => {
    beforeEach(useCurrent);

    it('sums the declared sizes of open uploads per address, and counts one without an address only in the total', async () => {
      const first = await store.beginUpload(newUpload({ size: 10, addressKey: HOME }));
      await store.beginUpload(newUpload({ size: 20, addressKey: HOME, ownerId: 'ownerBBBBBBBBBBBBBBBBB' }));
      await store.beginUpload(newUpload({ size: 40, addressKey: CAFE }));
      const unknown = await store.beginUpload(newUpload({ size: 80, addressKey: null }));
      expect(await reserved()).toEqual([30, 40, 150]);
      expect(await store.reservedUploadBytes('addrNobodyNNNNNNNNNNNN')).toBe(0);
      expect([first.addressKey, unknown.addressKey]).toEqual([HOME, null]);
      expect((await store.getUpload(first.id))?.addressKey).toBe(HOME);
      expect((await store.findUpload(unknown.ownerId, unknown.clientUploadId))?.addressKey).toBeNull();
    });

    it('keeps the address an upload was begun from when it is begun again from another', async () => {
      const first = await store.beginUpload(newUpload({ size: 10, clientUploadId: 'movedPhone01', addressKey: HOME }));
      const again = await store.beginUpload(newUpload({ size: 10, clientUploadId: 'movedPhone01', addressKey: CAFE }));
      expect([again.id, again.addressKey]).toEqual([first.id, HOME]);
      expect(await reserved()).toEqual([10, 0, 10]);
    });

    it('stops counting an upload once it is committed or deleted', async () => {
      const committed = await store.beginUpload(newUpload({ size: 10, addressKey: HOME }));
      const deleted = await store.beginUpload(newUpload({ size: 20, addressKey: HOME }));
      const open = await store.beginUpload(newUpload({ size: 40, addressKey: CAFE }));
      await store.appendUpload(open.id, 0, Buffer.from('abc'));
      expect(await reserved()).toEqual([30, 40, 70]);
      await commit(committed);
      await store.deleteUpload(deleted.id);
      expect(await reserved()).toEqual([0, 40, 40]);
    });

    it('counts an upload begun before addresses were kept only in the total, with no address', async () => {
      const harness = current();
      if (!harness.forgetUploadAddresses) return pending('this harness cannot make an upload from before addresses were kept');
      const old = await store.beginUpload(newUpload({ size: 10, addressKey: HOME }));
      await harness.forgetUploadAddresses();
      store = harness.store;
      expect((await store.getUpload(old.id))?.addressKey).toBeNull();
      await store.beginUpload(newUpload({ size: 20, addressKey: HOME }));
      expect(await reserved()).toEqual([20, 0, 30]);
    });
  });

  describe('the job queue', () => {
    beforeEach(useCurrent);

    it('is empty, with no oldest time, when no photo waits for its archive copy', async () => {
      expect(await store.jobQueue()).toEqual({ depth: 0, oldestQueuedAt: null });
      await store.createPhoto(newPhoto());
      expect(await store.jobQueue()).withContext('a photo without a source queues nothing').toEqual({ depth: 0, oldestQueuedAt: null });
    });

    it('counts jobs waiting, leased or failed until each is done, dated by the oldest photo queued', async () => {
      const now = Date.now();
      await store.createPhoto(photoWithSource({ createdAt: now - 5_000 }));
      await store.createPhoto(photoWithSource({ createdAt: now - 3_000 }));
      expect(await store.jobQueue()).toEqual({ depth: 2, oldestQueuedAt: now - 5_000 });
      const first = (await store.claimJob('archive', 'w', now, 60_000))!;
      expect(await store.jobQueue()).withContext('leased').toEqual({ depth: 2, oldestQueuedAt: now - 5_000 });
      await store.failJob(first.id, 'w', 'boom', now + 10_000);
      expect(await store.jobQueue()).withContext('failed, due again later').toEqual({ depth: 2, oldestQueuedAt: now - 5_000 });
      const second = (await store.claimJob('archive', 'w', now, 60_000))!;
      await store.completeJob(second.id, 'w');
      expect(await store.jobQueue()).withContext('the newer one done').toEqual({ depth: 1, oldestQueuedAt: now - 5_000 });
      const retried = (await store.claimJob('archive', 'w', now + 10_000, 60_000))!;
      expect(retried.id).toBe(first.id);
      await store.completeJob(retried.id, 'w');
      expect(await store.jobQueue()).withContext('all done').toEqual({ depth: 0, oldestQueuedAt: null });
    });

    it('no longer counts the job of a removed photo: it is no work', async () => {
      const gone = await store.createPhoto(photoWithSource({ createdAt: 3_000 }));
      await store.createPhoto(photoWithSource({ createdAt: 4_000 }));
      await store.removePhoto(gone.id, { kind: 'host' });
      expect(await store.jobQueue()).toEqual({ depth: 1, oldestQueuedAt: 4_000 });
    });
  });
}
