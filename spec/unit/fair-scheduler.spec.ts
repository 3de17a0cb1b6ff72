import { FairScheduler } from '../../server/util/fair-scheduler';

/** A task the spec finishes by hand: no timers, the order is all that is observed. */
class FakeTask {
  started = false;
  private settle: { resolve(v: string): void; reject(e: unknown): void } | null = null;

  constructor(readonly name: string) {}

  readonly task = (): Promise<string> => {
    this.started = true;
    return new Promise<string>((resolve, reject) => (this.settle = { resolve, reject }));
  };

  finish(): void {
    if (!this.settle) throw new Error(`${this.name} never started`);
    this.settle.resolve(this.name);
  }

  fail(error: Error): void {
    if (!this.settle) throw new Error(`${this.name} never started`);
    this.settle.reject(error);
  }
}

/** Lets settled tasks' callbacks run, so the scheduler starts whatever comes next. */
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the fair processing scheduler', () => {
  let scheduler: FairScheduler;
  const order: string[] = [];
  const submit = (guest: string, weight: number, name: string): FakeTask => {
    const fake = new FakeTask(name);
    void scheduler.run(guest, weight, () => {
      order.push(name);
      return fake.task();
    });
    return fake;
  };
  const started = (...tasks: FakeTask[]) => tasks.filter((t) => t.started).map((t) => t.name);

  beforeEach(() => {
    scheduler = new FairScheduler({ capacity: 100, maxRunning: 2 });
    order.length = 0;
  });

  it('runs at most maxRunning tasks at once, however light they are', async () => {
    const tasks = ['a', 'b', 'c'].map((name) => submit(name, 1, name));
    expect(started(...tasks)).toEqual(['a', 'b']);
    tasks[0]!.finish();
    await settled();
    expect(started(...tasks)).toEqual(['a', 'b', 'c']);
  });

  it('keeps the weight in flight within the capacity: a task that does not fit waits for capacity to free', async () => {
    const first = submit('a', 60, 'first');
    const second = submit('b', 60, 'second');
    expect(started(first, second)).toEqual(['first']);
    expect(scheduler.load).toEqual({ running: 1, inFlight: 60, waiting: 1 });
    first.finish();
    await settled();
    expect(started(second)).toEqual(['second']);
    expect(scheduler.load).toEqual({ running: 1, inFlight: 60, waiting: 0 });
  });

  it('runs a task weighing the whole capacity (or more) alone instead of never', async () => {
    const huge = submit('a', 1e12, 'huge');
    const small = submit('b', 1, 'small');
    expect(started(huge, small)).toEqual(['huge']);
    expect(scheduler.load.inFlight).toBe(100);
    huge.finish();
    await settled();
    expect(started(small)).toEqual(['small']);
  });

  it("gives a newcomer the next turn instead of the heavy guest's backlog, so it waits for one task at most", async () => {
    const heavy = [1, 2, 3, 4, 5, 6].map((n) => submit('heavy guest', 100, `heavy ${n}`));
    const ordinary = submit('newcomer', 10, 'ordinary');
    expect(order).toEqual(['heavy 1']);
    heavy[0]!.finish();
    await settled();
    expect(order).toEqual(['heavy 1', 'ordinary']);
    ordinary.finish();
    await settled();
    expect(order).toEqual(['heavy 1', 'ordinary', 'heavy 2']);
  });

  it('gives the turn to the waiting guest with the fewest running tasks, even over one waiting longer', async () => {
    const a = ['a1', 'a2', 'a3'].map((name) => submit('a', 1, name));
    const b = submit('b', 1, 'b1');
    expect(order).toEqual(['a1', 'a2']);
    a[0]!.finish();
    await settled();
    // First come, first served would start a3 here.
    expect(order).toEqual(['a1', 'a2', 'b1']);
    b.finish();
    await settled();
    expect(order).toEqual(['a1', 'a2', 'b1', 'a3']);

    scheduler = new FairScheduler({ capacity: 100, maxRunning: 3 });
    order.length = 0;
    submit('b', 1, 'b1');
    submit('b', 1, 'b2');
    const c = submit('c', 1, 'c1');
    submit('b', 1, 'b3');
    submit('a', 1, 'a1');
    c.finish();
    await settled();
    // b's b3 has waited longer, but b has two tasks running and a none.
    expect(order).toEqual(['b1', 'b2', 'c1', 'a1']);
  });

  it('breaks a tie between guests with as many running tasks in favour of the one served least recently', async () => {
    scheduler = new FairScheduler({ capacity: 100, maxRunning: 1 });
    const a = submit('a', 1, 'a1');
    submit('a', 1, 'a2');
    const b = submit('b', 1, 'b1');
    const c = submit('c', 1, 'c1');
    a.finish();
    await settled();
    // a was served until just now; b has waited longer than c.
    b.finish();
    await settled();
    c.finish();
    await settled();
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2']);
  });

  it("runs one guest's tasks in the order they were queued", async () => {
    scheduler = new FairScheduler({ capacity: 100, maxRunning: 1 });
    const tasks = ['1', '2', '3'].map((name) => submit('a', 50, name));
    for (const task of tasks) {
      task.finish();
      await settled();
    }
    expect(order).toEqual(['1', '2', '3']);
  });

  it('lets nothing start ahead of a big task whose turn it is, so small ones arriving all the time cannot starve it', async () => {
    const small1 = submit('small guest', 50, 'small 1');
    const big = submit('big guest', 100, 'big');
    // Its turn (no task running), but it does not fit beside small 1: nothing else may start now.
    const late = submit('newcomer', 10, 'late');
    submit('small guest', 10, 'small 2');
    expect(order).toEqual(['small 1']);
    small1.finish();
    await settled();
    expect(order).toEqual(['small 1', 'big']);
    big.finish();
    await settled();
    expect(order).toEqual(['small 1', 'big', 'late', 'small 2']);
    late.finish();
    await settled();
  });

  it("still reaches a big task whose guest had a task running when small ones overtook it", async () => {
    const a1 = submit('a', 50, 'a1');
    const s1 = submit('s', 50, 's1');
    submit('a', 100, 'a2');
    const s2 = submit('s', 50, 's2');
    expect(order).toEqual(['a1', 's1']);
    s1.finish();
    await settled();
    // s has fewer running tasks than a, so s2 may go first: a's own a1 is still in flight.
    expect(order).toEqual(['a1', 's1', 's2']);
    submit('s', 50, 's3');
    a1.finish();
    await settled();
    // Now a has nothing running and holds the turn: s3 fits beside s2 but must wait.
    expect(order).toEqual(['a1', 's1', 's2']);
    s2.finish();
    await settled();
    expect(order).toEqual(['a1', 's1', 's2', 'a2']);
  });

  it('gives the capacity back when a task fails, and hands the error to its caller', async () => {
    const failing = new FakeTask('failing');
    const result = scheduler.run('a', 100, failing.task);
    const next = submit('b', 100, 'next');
    failing.fail(new Error('corrupt image'));
    await expectAsync(result).toBeRejectedWithError('corrupt image');
    await settled();
    expect(next.started).toBeTrue();
  });

  it('gives the capacity back when a task throws before returning a promise', async () => {
    const thrown = scheduler.run('a', 100, () => {
      throw new Error('sync failure');
    });
    await expectAsync(thrown).toBeRejectedWithError('sync failure');
    const next = submit('b', 100, 'next');
    expect(next.started).toBeTrue();
    expect(scheduler.load).toEqual({ running: 1, inFlight: 100, waiting: 0 });
  });

  it('resolves with the value of the task and forgets guests with nothing left to do', async () => {
    const done = scheduler.run('a', 10, async () => 'photo');
    await expectAsync(done).toBeResolvedTo('photo');
    expect(scheduler.load).toEqual({ running: 0, inFlight: 0, waiting: 0 });
    expect((scheduler as unknown as { guests: Map<string, unknown> }).guests.size).toBe(0);
  });
});
