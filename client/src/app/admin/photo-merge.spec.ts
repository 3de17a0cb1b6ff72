import type { AdminPhotoDto } from '@photobook/shared';
import { until } from '../../testing/until';
import { ChangeFollower } from './change-follower';
import { matchesFilter, mergeChanges, newestFirst, type MergeOptions } from './photo-merge';
import { adminPhoto } from './testing/fake-admin-socket';

const ids = (list: readonly AdminPhotoDto[]) => list.map((p) => p.id);
const id = (seq: number) => adminPhoto(seq).id;

describe('mergeChanges', () => {
  const all: MergeOptions = { matches: () => true, order: newestFirst, complete: true };
  const waiting: MergeOptions = { matches: (p) => matchesFilter(p, { state: 'pending', search: '', guest: null }), order: newestFirst, complete: true };

  it('replaces a changed photo in place with its newer copy', () => {
    const list = [adminPhoto(3), adminPhoto(2), adminPhoto(1)];
    const next = mergeChanges(list, { photos: [adminPhoto(2, { seq: 9, caption: 'New words' })], removed: [] }, all);
    expect(ids(next)).toEqual([id(3), id(2), id(1)]);
    expect(next[1]?.caption).toBe('New words');
  });

  it('ignores a copy that is not newer than the one held', () => {
    const list = [adminPhoto(2, { seq: 9, caption: 'Newest' })];
    const next = mergeChanges(list, { photos: [adminPhoto(2, { seq: 5, caption: 'Older' })], removed: [] }, all);
    expect(next[0]?.caption).toBe('Newest');
  });

  it('takes a photo whose new state no longer matches the filter out of the view', () => {
    const list = [adminPhoto(3, { state: 'pending' }), adminPhoto(2, { state: 'pending' })];
    const next = mergeChanges(list, { photos: [adminPhoto(3, { seq: 10, state: 'visible' })], removed: [] }, waiting);
    expect(ids(next)).toEqual([id(2)]);
  });

  it('puts a new matching photo at the top, and leaves a non-matching one out', () => {
    const list = [adminPhoto(2, { state: 'pending' })];
    const changes = { photos: [adminPhoto(5, { state: 'pending' }), adminPhoto(4, { state: 'visible' })], removed: [] };
    expect(ids(mergeChanges(list, changes, waiting))).toEqual([id(5), id(2)]);
  });

  it('drops deleted photos', () => {
    const list = [adminPhoto(3), adminPhoto(2), adminPhoto(1)];
    expect(ids(mergeChanges(list, { photos: [], removed: [id(2)] }, all))).toEqual([id(3), id(1)]);
  });

  it('leaves a photo older than the last one loaded to the page that will bring it', () => {
    const list = [adminPhoto(9), adminPhoto(8)];
    const changes = { photos: [adminPhoto(3, { seq: 12 })], removed: [] };
    expect(ids(mergeChanges(list, changes, { ...all, complete: false }))).toEqual([id(9), id(8)]);
    expect(ids(mergeChanges(list, changes, all))).toEqual([id(9), id(8), id(3)]);
  });

  it('matches a search in the caption or the name, case-insensitively', () => {
    const photo = adminPhoto(1, { caption: 'First Dance', author: 'Ann' });
    expect(matchesFilter(photo, { state: 'all', search: 'dance', guest: null })).toBeTrue();
    expect(matchesFilter(photo, { state: 'all', search: 'ANN', guest: null })).toBeTrue();
    expect(matchesFilter(photo, { state: 'all', search: 'cake', guest: null })).toBeFalse();
    expect(matchesFilter(photo, { state: 'all', search: '', guest: 2 })).toBeFalse();
  });
});

describe('ChangeFollower', () => {
  it('asks from the seq it holds, coalesces pushes that come meanwhile, and pages up to the target', async () => {
    const asked: number[] = [];
    const answers = [5, 8, 10];
    const follower = new ChangeFollower(
      async (since) => {
        asked.push(since);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { ok: true, value: { photos: [], removed: [], seq: answers[asked.length - 1] ?? since } };
      },
      () => undefined,
    );
    follower.reset(3);
    follower.notify(5);
    follower.notify(6);
    follower.notify(10);
    // Three fetches of 5 ms each in a row: a loaded machine can take far longer than 15 ms for them.
    await until(() => follower.seq === 10, 'the follower to reach seq 10');
    expect(asked).toEqual([3, 5, 8]);
    expect(follower.seq).toBe(10);
  });

  it('waits for a list to load, then catches up from its seq, dropping answers meant for an old list', async () => {
    const asked: number[] = [];
    const applied: number[] = [];
    const follower = new ChangeFollower(
      async (since) => {
        asked.push(since);
        return { ok: true, value: { photos: [], removed: [], seq: 20 } };
      },
      (changes) => applied.push(changes.seq),
    );
    follower.reset(null);
    follower.notify(20);
    expect(asked).toEqual([]);
    follower.reset(12);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(asked).toEqual([12]);
    expect(applied).toEqual([20]);
  });
});
