import { sharedCall } from '../../server/util/concurrency';

describe('sharedCall', () => {
  let calls: number;
  let answer: () => Promise<number>;
  beforeEach(() => {
    calls = 0;
    answer = async () => ++calls;
  });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('gives everyone who calls while one is under way that one\'s promise, and calls afresh after', async () => {
    const shared = sharedCall(() => answer());
    const first = shared();
    expect(shared()).toBe(first);
    expect(await first).toBe(1);
    expect(await shared()).toBe(2);
  });

  it('keeps an answer for keepMs after it came back, however long the call took', async () => {
    const shared = sharedCall(async () => {
      await sleep(30);
      return answer();
    }, 20);
    const first = shared();
    await first;
    expect(shared()).toBe(first);
    await sleep(30);
    const later = shared();
    expect(later).not.toBe(first);
    expect(await later).toBe(2);
  });

  it('keeps no failure: the next caller calls again', async () => {
    let fail = true;
    const shared = sharedCall(async () => {
      if (fail) throw new Error('no');
      return answer();
    }, 60_000);
    const failed = shared();
    expect(shared()).toBe(failed);
    await expectAsync(failed).toBeRejected();
    fail = false;
    expect(await shared()).toBe(1);
  });
});
