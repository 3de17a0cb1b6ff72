/**
 * The change feed's guarantee with several writers (part of the store contract): a reader that
 * catches up by seq, as walls and consoles do, never skips a change that becomes visible later.
 * With one writer (SQLite) seqs become visible in order; with several (MongoDB replicas) 41 can
 * become visible after 42, and the store must hold readers back until it has.
 */
import type { Store } from '../../server/store/types';
import { newPhoto } from './contract-fixtures';
import type { StoreHarness } from './store-contract';

/** Photos each writer adds (each with an edit, every fifth with a removal). */
const ROUNDS = 24;

interface Seen {
  readonly seq: number;
  readonly caption: string;
  readonly state: string;
}

/** A wall's catch-up: position first, then pages of changes; the cursor never passes the position read. */
async function catchUp(store: Store, cursor: number, seen: Map<string, Seen>): Promise<number> {
  const head = await store.currentSeq();
  for (;;) {
    const changes = await store.changesSince(cursor, 50);
    for (const p of changes) seen.set(p.id, { seq: p.seq, caption: p.caption, state: p.state });
    if (changes.length < 50) return Math.max(cursor, head, ...changes.map((p) => p.seq));
    cursor = changes.at(-1)!.seq;
  }
}

/** One writer's burst: new photos and edits of its own, several in flight at once. */
async function write(store: Store, owner: string, rounds: number): Promise<void> {
  const mine: string[] = [];
  const op = async (round: number) => {
    const photo = await store.createPhoto(newPhoto({ ownerId: owner, caption: `${owner} ${round}` }));
    mine.push(photo.id);
    const target = mine[(round * 7) % mine.length]!;
    await store.updatePhoto(target, { kind: 'owner', ownerId: owner }, { caption: `${owner} edit ${round}` });
    if (round % 5 === 4) await store.removePhoto(mine[(round * 3) % mine.length]!, { kind: 'owner', ownerId: owner });
  };
  const inFlight = 4;
  for (let start = 0; start < rounds; start += inFlight) {
    await Promise.all(Array.from({ length: Math.min(inFlight, rounds - start) }, (_, i) => op(start + i)));
  }
}

export function describeFeedContract(harness: () => StoreHarness): void {
  describe('the change feed with several writers', () => {
    it('never lets a reader skip a change that becomes visible later, while two store objects write at once', async () => {
      const { store, another } = harness();
      if (!another) return pending('this adapter cannot open a second store on the same data');
      const second = await another.call(harness());
      const seen = new Map<string, Seen>();
      let cursor = 0;
      let writing = true;
      const reader = (async () => {
        while (writing) {
          cursor = await catchUp(store, cursor, seen);
          // A store whose calls finish synchronously (SQLite) would otherwise starve the writers' I/O.
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      await Promise.all([write(store, 'ownerWriterAAAAAAAAAAA', ROUNDS), write(second, 'ownerWriterBBBBBBBBBBB', ROUNDS)]);
      writing = false;
      await reader;
      cursor = await catchUp(store, cursor, seen);
      const truth = await store.changesSince(0, 10_000);
      expect(truth.length).toBe(2 * ROUNDS);
      const missed = truth.filter((p) => {
        const got = seen.get(p.id);
        return !got || got.seq !== p.seq || got.caption !== p.caption || got.state !== p.state;
      });
      expect(missed.map((p) => `${p.id}@${p.seq}`)).withContext('changes the reader skipped for good').toEqual([]);
      expect(cursor).toBe(await store.currentSeq());
    }, 120_000);
  });
}
