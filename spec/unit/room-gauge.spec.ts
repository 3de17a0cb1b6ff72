import { ErrorCode } from '@photobook/shared';
import { AppError } from '../../server/errors';
import { ROOM_HEADROOM_BYTES, RoomGauge } from '../../server/store/room-gauge';

const MB = 1024 * 1024;
const RESERVE = 256 * MB;

describe('the free-room gauge for chunks (UP18)', () => {
  let free: number;
  let reads: number;
  const readFree = async () => {
    reads++;
    return free;
  };

  beforeEach(() => {
    free = RESERVE + ROOM_HEADROOM_BYTES + 100 * MB;
    reads = 0;
  });

  it('reads the disk once for many chunks while the room is far above the reserve', async () => {
    const gauge = new RoomGauge(readFree, RESERVE, 60_000);
    for (let i = 0; i < 50; i++) await gauge.ensure(MB / 4);
    expect(reads).toBe(1);
  });

  it('reads the disk again once the reading is older than its age limit', async () => {
    const gauge = new RoomGauge(readFree, RESERVE, 0);
    await gauge.ensure(MB);
    await new Promise((r) => setTimeout(r, 2));
    await gauge.ensure(MB);
    expect(reads).toBe(2);
  });

  it('asks the disk for every chunk near the reserve, so a disk filled by another program stops uploads there', async () => {
    const gauge = new RoomGauge(readFree, RESERVE, 60_000);
    // Bytes it wrote itself count against the reading; within the headroom every chunk reads.
    for (let written = 0; written <= 100 * MB; written += MB) {
      await gauge.ensure(MB);
      free -= MB;
    }
    const before = reads;
    expect(before).toBeGreaterThan(1);
    await gauge.ensure(MB);
    await gauge.ensure(MB);
    expect(reads).toBe(before + 2);
    free = RESERVE + MB / 2;
    await expectAsync(gauge.ensure(MB)).toBeRejectedWith(jasmine.objectContaining({ code: ErrorCode.StorageFull }));
  });

  it('never refuses from a stale reading: room freed since is seen at once', async () => {
    free = RESERVE + MB / 2;
    const gauge = new RoomGauge(readFree, RESERVE, 60_000);
    const refused = await gauge.ensure(MB).catch((e: unknown) => e);
    expect(refused instanceof AppError && refused.code).toBe(ErrorCode.StorageFull);
    free = RESERVE + ROOM_HEADROOM_BYTES + 100 * MB;
    await gauge.ensure(MB);
    expect(reads).toBe(2);
  });

  it('makes one reading for the chunks that ask while it is under way, and takes each one\'s bytes off it', async () => {
    // Room for four of five chunks: read once, the fifth is refused. Five readings of their own
    // would each have seen the room for one chunk, and all five would have been let through.
    free = RESERVE + 4.5 * MB;
    const gauge = new RoomGauge(readFree, RESERVE, 60_000);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => gauge.ensure(MB)));
    expect(reads).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(4);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' && (refused.reason as AppError).code).toBe(ErrorCode.StorageFull);
  });

  it('lets a failed reading fail the chunks that waited for it, and reads afresh for the next', async () => {
    let failing = true;
    const flaky = new RoomGauge(async () => {
      reads++;
      if (failing) throw new Error('dbStats failed');
      return free;
    }, RESERVE, 60_000);
    const waited = await Promise.allSettled([flaky.ensure(MB), flaky.ensure(MB)]);
    expect(waited.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(reads).toBe(1);
    failing = false;
    await flaky.ensure(MB);
    expect(reads).toBe(2);
  });

  it('trusts a reading from when it was asked for, not from when it came back', async () => {
    const slow = new RoomGauge(async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 40));
      return free;
    }, RESERVE, 30);
    await slow.ensure(MB);
    await slow.ensure(MB);
    expect(reads).toBe(2);
  });
});
