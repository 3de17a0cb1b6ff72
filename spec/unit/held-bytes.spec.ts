import { HELD_FILE_MAX_BYTES, HeldBytes } from '../../server/photos/held-bytes';
import type { MediaFile } from '../../server/store/types';

describe('small images held in memory for /media (MongoDB)', () => {
  /** A file whose reads are counted, delivered in pieces of 1,000 bytes like a GridFS stream. */
  function file(bytes: number, fill: number): MediaFile & { reads: number } {
    const data = new Uint8Array(bytes).map((_, i) => (i + fill) % 251);
    const f = {
      contentType: 'image/webp',
      bytes,
      reads: 0,
      async *open(range?: { start: number; end: number }) {
        f.reads++;
        const part = range ? data.subarray(range.start, range.end + 1) : data;
        for (let at = 0; at < part.byteLength; at += 1000) yield part.subarray(at, at + 1000);
      },
    };
    return f;
  }
  async function read(f: MediaFile, range?: { start: number; end: number }): Promise<number[]> {
    const out: number[] = [];
    for await (const piece of f.open(range)) out.push(...piece);
    return out;
  }

  it('reads a small image from the store once, then serves it and its ranges from memory', async () => {
    const held = new HeldBytes(1024 * 1024);
    const source = file(5000, 3);
    const expected = await read(source);
    const wrapped = held.wrap('k1', source);
    expect(await read(wrapped)).toEqual(expected);
    expect(await read(held.wrap('k1', source))).toEqual(expected);
    expect(await read(wrapped, { start: 10, end: 19 })).toEqual(expected.slice(10, 20));
    expect(source.reads).toBe(2); // our own read above, and the one that filled the memory
    expect(held.heldBytes).toBe(5000);
  });

  it('stays within its budget, the least recently served going first', async () => {
    const held = new HeldBytes(10_000);
    const files = [file(4000, 1), file(4000, 2), file(4000, 3)];
    await read(held.wrap('a', files[0]!));
    await read(held.wrap('b', files[1]!));
    await read(held.wrap('a', files[0]!)); // a is now the most recent
    await read(held.wrap('c', files[2]!));
    expect(held.heldBytes).toBe(8000);
    await read(held.wrap('a', files[0]!));
    await read(held.wrap('b', files[1]!));
    expect([files[0]!.reads, files[1]!.reads]).withContext('a kept, b dropped for c').toEqual([1, 2]);
  });

  it('passes large images through, and everything when its budget is 0 (the embedded store)', async () => {
    const big = file(HELD_FILE_MAX_BYTES + 1, 0);
    expect(new HeldBytes(64 * 1024 * 1024).wrap('big', big)).toBe(big);
    const small = file(10, 0);
    expect(new HeldBytes(0).wrap('small', small)).toBe(small);
  });

  it('refuses a store answer whose length differs from the size it declared', async () => {
    const liar = { ...file(3000, 0), bytes: 2000 };
    await expectAsync(read(new HeldBytes(1024 * 1024).wrap('liar', liar))).toBeRejectedWithError(/longer than/);
  });
});
