import { MediaCache, staleKeys } from '../../server/photos/media-cache';
import type { MediaFile, PhotoRecord, VariantRecord } from '../../server/store/types';

const file = (bytes: number): MediaFile => ({ contentType: 'image/webp', bytes, open: () => (async function* () {})() });

/** A store that counts its lookups and answers from `files` (or waits for `gate` when set). */
function fakeStore() {
  const files = new Map<string, MediaFile>();
  let lookups = 0;
  let gate: Promise<void> | null = null;
  return {
    files,
    get lookups() {
      return lookups;
    },
    hold(): () => void {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => ((gate = null), release());
    },
    lookup: async (key: string) => {
      lookups++;
      // The store's answer is read now; a held one reaches the cache later (a slow round trip).
      const answer = files.get(key) ?? null;
      const waitFor = gate;
      if (waitFor) await waitFor;
      return answer;
    },
  };
}

describe('the media cache', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 1_000));

  it('asks the store once for a hot key, and once for requests that arrive while it asks', async () => {
    const store = fakeStore();
    store.files.set('a', file(10));
    const cache = new MediaCache(store.lookup, { maxEntries: 10, ttlMs: 5_000, now });
    const [x, y] = await Promise.all([cache.open('a'), cache.open('a')]);
    expect([x?.bytes, y?.bytes]).toEqual([10, 10]);
    for (let i = 0; i < 5; i++) await cache.open('a');
    expect(store.lookups).toBe(1);
  });

  it('serves a forgotten key only after the store says so again', async () => {
    const store = fakeStore();
    store.files.set('a', file(10));
    const cache = new MediaCache(store.lookup, { maxEntries: 10, ttlMs: 5_000, now });
    await cache.open('a');
    store.files.delete('a');
    cache.forget(['a']);
    expect(await cache.open('a')).toBeNull();
    store.files.set('a', file(10));
    expect((await cache.open('a'))?.bytes).withContext('misses are not remembered').toBe(10);
  });

  it('forgets every key when told null (a removal, whose record no longer lists its keys)', async () => {
    const store = fakeStore();
    store.files.set('a', file(1)).set('b', file(2));
    const cache = new MediaCache(store.lookup, { maxEntries: 10, ttlMs: 5_000, now });
    await cache.open('a');
    await cache.open('b');
    cache.forget(null);
    expect(cache.size).toBe(0);
  });

  it('keeps nothing a lookup begun before a forget found, and does not hand it to later requests', async () => {
    const store = fakeStore();
    store.files.set('a', file(10));
    const cache = new MediaCache(store.lookup, { maxEntries: 10, ttlMs: 5_000, now });
    const release = store.hold();
    const early = cache.open('a');
    // The photo is hidden while that lookup is under way.
    store.files.delete('a');
    cache.forget(['a']);
    release();
    expect((await early)?.bytes).withContext('the request that came first may have it').toBe(10);
    expect(await cache.open('a')).withContext('a request after the hide may not').toBeNull();
    expect(cache.size).toBe(0);
  });

  it('asks the store again once an entry is older than the TTL (what a lost eviction can leave)', async () => {
    const store = fakeStore();
    store.files.set('a', file(10));
    const cache = new MediaCache(store.lookup, { maxEntries: 10, ttlMs: 5_000, now });
    await cache.open('a');
    store.files.delete('a');
    clock += 4_999;
    expect((await cache.open('a'))?.bytes).toBe(10);
    clock += 2;
    expect(await cache.open('a')).toBeNull();
  });

  it('holds at most maxEntries, dropping the least recently served', async () => {
    const store = fakeStore();
    for (const k of ['a', 'b', 'c']) store.files.set(k, file(1));
    const cache = new MediaCache(store.lookup, { maxEntries: 2, ttlMs: 5_000, now });
    await cache.open('a');
    await cache.open('b');
    await cache.open('a');
    await cache.open('c');
    expect(cache.size).toBe(2);
    const before = store.lookups;
    await cache.open('a');
    expect(store.lookups).withContext('a was served recently: kept').toBe(before);
    await cache.open('b');
    expect(store.lookups).withContext('b was the oldest: dropped').toBe(before + 1);
  });

  it('names a changed photo’s public keys as stale, and every key for a removal', () => {
    const v = (kind: VariantRecord['kind'], key: string): VariantRecord => ({ kind, key, contentType: 'image/webp', width: 1, height: 1, bytes: 1 });
    const photo = {
      state: 'hidden',
      variants: [v('display', 'd.webp'), v('thumb', 't.webp'), v('source', 's.jpg')],
    } as Partial<PhotoRecord> as PhotoRecord;
    expect(staleKeys(photo)).toEqual(['d.webp', 't.webp']);
    expect(staleKeys({ ...photo, state: 'removed', variants: [] })).toBeNull();
  });
});
