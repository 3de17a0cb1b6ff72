/**
 * The store contract, continued: what the host's console asks of every adapter (the moderation grid,
 * its images, guest numbers, counts, blocks and admin sessions). Called from describeStoreContract.
 */
import type { HostPhotoQuery, PhotoRecord, Store, VariantKind } from '../../server/store/types';
import { blob, newPhoto, newUpload, readAll } from './contract-fixtures';
import type { StoreHarness } from './store-contract';

const host = { kind: 'host' } as const;
const ANA = 'ownerAnaAAAAAAAAAAAAAA';
const BEN = 'ownerBenBBBBBBBBBBBBBB';
const CY = 'ownerCyCCCCCCCCCCCCCCC';

const keyOf = (photo: PhotoRecord, kind: VariantKind) => photo.variants.find((v) => v.kind === kind)!.key;
const ids = (photos: readonly PhotoRecord[]) => photos.map((p) => p.id);
const sorted = (list: readonly string[]) => [...list].sort();

function hostQuery(overrides: Partial<HostPhotoQuery> = {}): HostPhotoQuery {
  return { states: ['visible', 'pending', 'hidden'], search: '', guest: null, after: null, limit: 100, ...overrides };
}

/** Newest upload first, then the higher id: the order every adapter's grid pages by. */
const hostOrder = (a: PhotoRecord, b: PhotoRecord) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

export function describeHostConsole(current: () => StoreHarness): void {
  describe('the host console', () => {
    let store: Store;
    beforeEach(() => {
      store = current().store;
    });

    describe("the host's images", () => {
      it('serves the host the images of pending and hidden photos, the walls only those of visible ones', async () => {
        const blobs = [blob('display', 'WAITING'), blob('thumb', 'W-T'), blob('original', 'W-O')];
        const pending = await store.createPhoto(newPhoto({ state: 'pending', blobs }));
        const hidden = await store.createPhoto(newPhoto());
        await store.updatePhoto(hidden.id, host, { state: 'hidden' });
        const visible = await store.createPhoto(newPhoto());
        for (const photo of [pending, hidden]) {
          for (const kind of ['display', 'thumb'] as const) {
            expect(await store.openMedia(keyOf(photo, kind), 'host')).withContext(`${photo.id} ${kind}`).not.toBeNull();
            expect(await store.openMedia(keyOf(photo, kind), 'public')).withContext(`${photo.id} ${kind}`).toBeNull();
            expect(await store.openMedia(keyOf(photo, kind))).withContext('public is the default').toBeNull();
          }
        }
        expect((await readAll((await store.openMedia(keyOf(pending, 'display'), 'host'))!.open())).toString()).toBe('WAITING');
        expect(await store.openMedia(keyOf(visible, 'thumb'), 'host')).not.toBeNull();
        expect(await store.openMedia(keyOf(visible, 'thumb'), 'public')).not.toBeNull();
        expect(await store.openMedia(keyOf(pending, 'original'), 'host')).withContext('the original stays private').toBeNull();
      });

      it("serves nobody a removed photo's images", async () => {
        const photo = await store.createPhoto(newPhoto({ state: 'pending' }));
        const display = keyOf(photo, 'display');
        await store.removePhoto(photo.id, host);
        expect(await store.openMedia(display, 'host')).toBeNull();
        expect(await store.openMedia(display, 'public')).toBeNull();
      });
    });

    describe("the host's grid", () => {
      it('lists only the states asked for, never removed photos, and nothing for no state', async () => {
        const visible = await store.createPhoto(newPhoto({ createdAt: 1_000 }));
        const pending = await store.createPhoto(newPhoto({ createdAt: 2_000, state: 'pending' }));
        const hidden = await store.createPhoto(newPhoto({ createdAt: 3_000 }));
        await store.updatePhoto(hidden.id, host, { state: 'hidden' });
        const removed = await store.createPhoto(newPhoto({ createdAt: 4_000 }));
        await store.removePhoto(removed.id, host);
        expect(ids(await store.listForHost(hostQuery({ states: ['visible'] })))).toEqual([visible.id]);
        expect(ids(await store.listForHost(hostQuery({ states: ['pending'] })))).toEqual([pending.id]);
        expect(ids(await store.listForHost(hostQuery({ states: ['hidden'] })))).toEqual([hidden.id]);
        expect(ids(await store.listForHost(hostQuery({ states: ['pending', 'hidden'] })))).toEqual([hidden.id, pending.id]);
        expect(ids(await store.listForHost(hostQuery()))).toEqual([hidden.id, pending.id, visible.id]);
        expect(await store.listForHost(hostQuery({ states: [] }))).toEqual([]);
      });

      it('returns whole records, variants included, as getPhoto does', async () => {
        const photo = await store.createPhoto(newPhoto({ state: 'pending' }));
        const [listed] = await store.listForHost(hostQuery());
        expect(listed).toEqual((await store.getPhoto(photo.id))!);
        expect(listed!.variants.length).toBe(3);
      });

      it('searches captions and names as literal, case-insensitive substrings, % _ and \\ included', async () => {
        const make = (caption: string, author: string) => store.createPhoto(newPhoto({ caption, author }));
        const percent = await make('100% fun', 'Ana');
        const plain = await make('100 percent', 'Ana');
        const underscore = await make('snake_case', 'Ben');
        const lookalike = await make('snakeXcase', 'Ben');
        const backslash = await make('back\\slash', 'Cy');
        const cake = await make('Cake!', 'ZOË');
        const search = async (text: string) => sorted(ids(await store.listForHost(hostQuery({ search: text }))));
        expect(await search('%')).toEqual([percent.id]);
        expect(await search('0%')).toEqual([percent.id]);
        expect(await search('_')).toEqual([underscore.id]);
        expect(await search('e_c')).toEqual([underscore.id]);
        expect(await search('\\')).toEqual([backslash.id]);
        expect(await search('cAKE')).withContext('caption, another case').toEqual([cake.id]);
        expect(await search('zoë')).withContext('name, another case').toEqual([cake.id]);
        expect(await search('ana')).toEqual(sorted([percent.id, plain.id]));
        expect(await search('BEN')).toEqual(sorted([underscore.id, lookalike.id]));
        expect(await search('')).toEqual(sorted([percent, plain, underscore, lookalike, backslash, cake].map((p) => p.id)));
        expect(await search('nobody')).toEqual([]);
        expect(await store.listForHost(hostQuery({ search: 'cake', states: ['pending'] }))).withContext('with the state filter').toEqual([]);
      });

      it("lists one guest's photos by their alias number", async () => {
        const first = await store.createPhoto(newPhoto({ ownerId: ANA, createdAt: 1_000 }));
        await store.createPhoto(newPhoto({ ownerId: BEN, createdAt: 2_000 }));
        const second = await store.createPhoto(newPhoto({ ownerId: ANA, createdAt: 3_000, state: 'pending' }));
        const ana = (await store.guestsOf([ANA])).get(ANA)!.number;
        expect(ids(await store.listForHost(hostQuery({ guest: ana })))).toEqual([second.id, first.id]);
        expect(ids(await store.listForHost(hostQuery({ guest: ana, states: ['visible'] })))).toEqual([first.id]);
        expect(await store.listForHost(hostQuery({ guest: 999 }))).toEqual([]);
      });

      it('pages through 25 photos ten at a time, newest first then by id, missing none and repeating none', async () => {
        const made: PhotoRecord[] = [];
        for (let i = 0; i < 25; i++) {
          // Ids out of upload order and only five distinct times, so the id decides within each time.
          const id = `photoPage${String((i * 11) % 25).padStart(4, '0')}`;
          made.push(await store.createPhoto(newPhoto({ id, createdAt: 1_000 + (i % 5) * 100, state: i % 3 === 0 ? 'pending' : 'visible' })));
        }
        const pageAll = async (query: HostPhotoQuery) => {
          const pages: string[][] = [];
          for (let after = query.after; ; ) {
            const page = await store.listForHost({ ...query, after });
            if (page.length === 0) return pages;
            pages.push(ids(page));
            const last = page[page.length - 1]!;
            after = { createdAt: last.createdAt, id: last.id };
          }
        };
        const pages = await pageAll(hostQuery({ limit: 10 }));
        expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
        expect(pages.flat()).toEqual(ids([...made].sort(hostOrder)));
        const pending = await pageAll(hostQuery({ limit: 4, states: ['pending'] }));
        expect(pending.flat()).withContext('the cursor with a filter').toEqual(ids(made.filter((p) => p.state === 'pending').sort(hostOrder)));
      });
    });

    describe('guest numbers', () => {
      it('numbers guests 1, 2, 3 in the order of their first photo, and later photos keep the number', async () => {
        await store.createPhoto(newPhoto({ ownerId: BEN }));
        await store.beginUpload(newUpload({ ownerId: 'ownerUploadOnlyUUUUUUU' }));
        await store.createPhoto(newPhoto({ ownerId: ANA }));
        await store.createPhoto(newPhoto({ ownerId: BEN }));
        await store.createPhoto(newPhoto({ ownerId: CY }));
        await store.createPhoto(newPhoto({ ownerId: ANA }));
        const guests = await store.guestsOf([ANA, BEN, CY, 'ownerUploadOnlyUUUUUUU', 'ownerNobodyNNNNNNNNNNN']);
        expect([...guests.entries()].sort(([a], [b]) => (a < b ? -1 : 1))).toEqual([
          [ANA, { number: 2, blocked: false }],
          [BEN, { number: 1, blocked: false }],
          [CY, { number: 3, blocked: false }],
        ]);
        expect((await store.guestsOf([])).size).toBe(0);
      });

      it('answers for a long list of owners, duplicates and strangers included', async () => {
        await store.createPhoto(newPhoto({ ownerId: ANA }));
        await store.createPhoto(newPhoto({ ownerId: BEN }));
        const many = Array.from({ length: 1_200 }, (_, i) => `ownerStranger${String(i).padStart(9, '0')}`);
        const guests = await store.guestsOf([...many.slice(0, 700), BEN, ANA, ...many.slice(700), BEN]);
        expect(guests.size).toBe(2);
        expect([guests.get(ANA)?.number, guests.get(BEN)?.number]).toEqual([1, 2]);
      });

      it("keeps a recovered owner's number, and gives it the browser's number when it had none", async () => {
        const kept = await store.createPhoto(newPhoto({ ownerId: ANA }));
        const moved = await store.createPhoto(newPhoto({ ownerId: 'browserBenBBBBBBBBBBBB' }));
        await store.setRecoveryCode(ANA, 'hash-guest-1', 1_000);
        expect(await store.recoverOwner('browserBenBBBBBBBBBBBB', 'hash-guest-1')).toBe(ANA);
        const afterRecovery = await store.guestsOf([ANA, 'browserBenBBBBBBBBBBBB']);
        expect([...afterRecovery.keys()]).toEqual([ANA]);
        expect(afterRecovery.get(ANA)?.number).toBe(1);
        expect(sorted(ids(await store.listForHost(hostQuery({ guest: 1 }))))).toEqual(sorted([kept.id, moved.id]));

        await store.createPhoto(newPhoto({ ownerId: 'browserCyCCCCCCCCCCCCC' }));
        const browserNumber = (await store.guestsOf(['browserCyCCCCCCCCCCCCC'])).get('browserCyCCCCCCCCCCCCC')!.number;
        await store.setRecoveryCode(CY, 'hash-guest-2', 2_000);
        await store.recoverOwner('browserCyCCCCCCCCCCCCC', 'hash-guest-2');
        const taken = await store.guestsOf([CY, 'browserCyCCCCCCCCCCCCC']);
        expect([...taken.entries()]).toEqual([[CY, { number: browserNumber, blocked: false }]]);
        await store.createPhoto(newPhoto({ ownerId: CY }));
        expect((await store.guestsOf([CY])).get(CY)?.number).withContext('later photos keep it').toBe(browserNumber);
      });
      it("carries the owner's number on every record the store returns, the first photo's included", async () => {
        const ben = await store.createPhoto(newPhoto({ ownerId: BEN, createdAt: 1_000 }));
        const ana = await store.createPhoto(newPhoto({ ownerId: ANA, createdAt: 2_000 }));
        const benAgain = await store.createPhoto(newPhoto({ ownerId: BEN, createdAt: 3_000, state: 'pending' }));
        expect([ben.guest, ana.guest, benAgain.guest]).withContext('createPhoto').toEqual([1, 2, 1]);
        const retried = await store.createPhoto(newPhoto({ ownerId: ANA, clientUploadId: ana.clientUploadId }));
        expect(retried.guest).withContext('createPhoto, committed twice').toBe(2);
        const numbers = (records: readonly PhotoRecord[]) => records.map((r) => [r.id, r.guest]);
        const expected = (...records: PhotoRecord[]) => records.map((r) => [r.id, r === ana ? 2 : 1]);
        expect((await store.getPhoto(ana.id))?.guest).withContext('getPhoto').toBe(2);
        expect((await store.findPhotoByUpload(BEN, ben.clientUploadId))?.guest).withContext('findPhotoByUpload').toBe(1);
        expect(numbers(await store.listPhotos(10))).withContext('listPhotos').toEqual(expected(ana, ben));
        expect(numbers(await store.listOwnPhotos(BEN, 10))).withContext('listOwnPhotos').toEqual(expected(benAgain, ben));
        expect(numbers(await store.listForHost(hostQuery()))).withContext('listForHost').toEqual(expected(benAgain, ana, ben));
        expect(numbers(await store.changesSince(0, 10))).withContext('changesSince').toEqual(expected(ben, ana, benAgain));
        expect((await store.updatePhoto(ana.id, { kind: 'owner', ownerId: ANA }, { caption: 'Mine' }))?.guest).withContext('updatePhoto, owner').toBe(2);
        expect((await store.updatePhoto(benAgain.id, host, { state: 'visible' }))?.guest).withContext('updatePhoto, host').toBe(1);
        expect((await store.removePhoto(ben.id, host))?.guest).withContext('removePhoto').toBe(1);
        expect((await store.removePhoto(ben.id, host))?.guest).withContext('removePhoto, again').toBe(1);
        expect(numbers(await store.changesSince(ana.seq, 10))).withContext('changesSince, edits and tombstone').toEqual(expected(ana, benAgain, ben));
      });

      it("gives the photos a browser moves to a recovered owner that owner's number", async () => {
        await store.createPhoto(newPhoto({ ownerId: ANA }));
        const moved = await store.createPhoto(newPhoto({ ownerId: 'browserMovedMMMMMMMMMM' }));
        expect(moved.guest).toBe(2);
        await store.setRecoveryCode(ANA, 'hash-moved', 1_000);
        await store.recoverOwner('browserMovedMMMMMMMMMM', 'hash-moved');
        expect((await store.getPhoto(moved.id))?.guest).toBe(1);
        const later = await store.createPhoto(newPhoto({ ownerId: await store.resolveOwner('browserMovedMMMMMMMMMM') }));
        expect(later.guest).toBe(1);
      });
    });

    describe('blocks and counts', () => {
      it('blocks and unblocks the owner of a photo, and answers false for an unknown photo', async () => {
        const photo = await store.createPhoto(newPhoto({ ownerId: ANA }));
        expect(await store.blockOwnerOf(photo.id)).toEqual({ ownerId: ANA });
        expect(await store.isBlocked(ANA)).toBeTrue();
        expect((await store.guestsOf([ANA])).get(ANA)).toEqual({ number: 1, blocked: true });
        expect(await store.unblockOwnerOf(photo.id)).toBeTrue();
        expect(await store.isBlocked(ANA)).toBeFalse();
        expect((await store.guestsOf([ANA])).get(ANA)?.blocked).toBeFalse();
        expect(await store.unblockOwnerOf(photo.id)).withContext('not blocked any more').toBeTrue();
        expect(await store.unblockOwnerOf('noSuchPhoto7')).toBeFalse();
        expect(await store.blockOwnerOf('noSuchPhoto7')).toBeNull();
      });

      it('keeps a block on the recovering browser on the owner it recovers', async () => {
        const photo = await store.createPhoto(newPhoto({ ownerId: 'browserBlockedBBBBBBBB' }));
        await store.blockOwnerOf(photo.id);
        await store.setRecoveryCode(ANA, 'hash-blocked', 1_000);
        await store.recoverOwner('browserBlockedBBBBBBBB', 'hash-blocked');
        expect(await store.isBlocked(await store.resolveOwner('browserBlockedBBBBBBBB'))).toBeTrue();
        expect(await store.unblockOwnerOf(photo.id)).toBeTrue();
        expect(await store.isBlocked(ANA)).toBeFalse();
      });

      it('counts photos by state, guests with a photo left, and the bytes of photos not removed', async () => {
        expect(await store.photoCounts()).toEqual({ visible: 0, pending: 0, hidden: 0, guests: 0, bytes: 0 });
        expect(await store.countVisible()).toBe(0);
        const shared = [blob('display', 'SHARED-D'), blob('thumb', 'SHARED-T'), blob('original', 'SHARED-O')];
        const visible = await store.createPhoto(newPhoto({ ownerId: ANA, blobs: shared }));
        const twin = await store.createPhoto(newPhoto({ ownerId: ANA, blobs: shared }));
        const pending = await store.createPhoto(newPhoto({ ownerId: ANA, state: 'pending' }));
        const hidden = await store.createPhoto(newPhoto({ ownerId: BEN }));
        await store.updatePhoto(hidden.id, host, { state: 'hidden' });
        const removed = await store.createPhoto(newPhoto({ ownerId: CY }));
        await store.removePhoto(removed.id, host);
        const bytes = [visible, twin, pending, hidden].flatMap((p) => p.variants).reduce((sum, v) => sum + v.bytes, 0);
        expect(await store.photoCounts()).toEqual({ visible: 2, pending: 1, hidden: 1, guests: 2, bytes });
        expect(await store.countVisible()).withContext('the wall count agrees').toBe(2);
      });
    });
  });
}

export function describeAdminSessions(current: () => StoreHarness): void {
  describe('admin sessions', () => {
    it('knows a session until it expires or is deleted', async () => {
      const store = current().store;
      await store.createAdminSession('session-1', 10_000, 1_000);
      expect(await store.adminSessionExpiry('session-1', 1_000)).toBe(10_000);
      expect(await store.adminSessionExpiry('session-1', 9_999)).toBe(10_000);
      expect(await store.adminSessionExpiry('session-1', 10_000)).withContext('at its expiry').toBeNull();
      expect(await store.adminSessionExpiry('session-unknown', 0)).toBeNull();
      expect(await store.deleteAdminSession('session-1')).toBeTrue();
      expect(await store.deleteAdminSession('session-1')).withContext('deleted already').toBeFalse();
      expect(await store.adminSessionExpiry('session-1', 1_000)).toBeNull();
    });

    it('forgets expired sessions when one is created, and keeps live ones across a reopen', async () => {
      const store = current().store;
      await store.createAdminSession('session-old', 5_000, 1_000);
      await store.createAdminSession('session-live', 60_000, 1_000);
      await store.createAdminSession('session-new', 50_000, 6_000);
      expect(await store.adminSessionExpiry('session-old', 1_000)).withContext('forgotten, not merely expired').toBeNull();
      expect(await store.deleteAdminSession('session-old')).toBeFalse();
      expect(await store.adminSessionExpiry('session-live', 6_000)).toBe(60_000);
      const harness = current();
      if (!harness.reopen) return;
      const reopened = await harness.reopen();
      expect(await reopened.adminSessionExpiry('session-new', 6_000)).toBe(50_000);
    });
  });
}
