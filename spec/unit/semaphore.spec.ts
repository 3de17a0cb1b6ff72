import { Semaphore } from '../../server/util/concurrency';

describe('Semaphore', () => {
  it('hands a freed slot to the first waiter, even against a task that arrives the moment it is freed', async () => {
    const slots = new Semaphore(1);
    let active = 0;
    let most = 0;
    const order: string[] = [];
    const gates = new Map<string, () => void>();
    const task = (name: string) =>
      slots.run(async () => {
        active++;
        most = Math.max(most, active);
        order.push(name);
        await new Promise<void>((resolve) => gates.set(name, resolve));
        active--;
      });
    let releaseA!: () => void;
    let c: Promise<void> | undefined;
    const a = slots.run(() => {
      active++;
      most = Math.max(most, active);
      order.push('a');
      const done = new Promise<void>((resolve) => (releaseA = resolve)).then(() => {
        active--;
      });
      // Registered after the semaphore's own wait on this task: C arrives right after A gives its
      // slot back, before B (woken by that) has run.
      queueMicrotask(() => {
        void done.then(() => {
          c = task('c');
        });
      });
      return done;
    });
    const b = task('b');
    await new Promise((resolve) => setTimeout(resolve, 0));
    releaseA();
    await a;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(order).toEqual(['a', 'b']);
    gates.get('b')!();
    await b;
    await new Promise((resolve) => setTimeout(resolve, 0));
    gates.get('c')!();
    await c;
    expect(order).toEqual(['a', 'b', 'c']);
    expect(most).toBe(1);
  });

  it('lets a failing task give its slot back', async () => {
    const slots = new Semaphore(1);
    await expectAsync(slots.run(() => Promise.reject(new Error('boom')))).toBeRejectedWithError('boom');
    expect(await slots.run(async () => 'next')).toBe('next');
  });
});
