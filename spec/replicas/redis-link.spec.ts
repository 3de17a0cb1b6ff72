/**
 * The pieces replicas share through Redis, against a real redis-server in this process: the link's
 * state and outage handling, counters that every replica sees, and turns that hold across replicas.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import type { Logger } from '../../server/errors';
import { RequestLimiter } from '../../server/limits/request-limiter';
import { localLimiters, sharedLimiters, type LimiterFactory } from '../../server/limits/limiter';
import { SharedTurns } from '../../server/limits/shared-turns';
import { RedisLink } from '../../server/realtime/redis-link';
import { startRedis, type RedisProcess } from '../fixtures/redis-server';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, info: log('info'), warn: log('warn'), error: log('error') };
}

async function waitFor(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the Redis link between replicas', () => {
  let redis: RedisProcess | null = null;
  const links: RedisLink[] = [];
  const newLink = (logger: Logger = recordingLogger()) => {
    const link = new RedisLink(redis!.url, logger);
    links.push(link);
    return link;
  };
  beforeAll(async () => {
    redis = await startRedis();
  }, 20_000);
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(async () => {
    if (!redis) pending('SKIPPED: no redis-server here (see the SKIPPED line above)');
    if (!redis!.running) await redis!.start();
  });
  afterEach(async () => {
    await Promise.all(links.splice(0).map((l) => l.close()));
  });

  it('survives an outage while publishing, says so once each way, and tells its listeners when it is back', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const logger = recordingLogger();
    const link = newLink(logger);
    const io = new Server(createServer(), { adapter: link.adapter() });
    try {
      expect(await link.ready(5_000)).toBe('up');
      let resumed = 0;
      link.onResumed(() => resumed++);
      await redis!.stop();
      await waitFor(() => link.state === 'down', 5_000, 'the link to go down');
      // What a replica does all through an outage: broadcasts, and asking the others.
      for (let i = 0; i < 50; i++) io.emit('settings:changed' as never);
      // Asking the others gets no answer at all (the adapter drops it): callers need a deadline of their own.
      io.serverSideEmit('anyone' as never, (() => undefined) as never);
      await new Promise((r) => setTimeout(r, 1_500));
      await redis!.start();
      await waitFor(() => link.state === 'up', 10_000, 'the link to come back');
      await waitFor(() => resumed === 1, 5_000, 'the resumed listener');
      expect(unhandled).withContext('no rejection left unhandled').toEqual([]);
      expect(logger.lines.filter((l) => l.includes('redis link lost')).length).toBe(1);
      expect(logger.lines.filter((l) => l.includes('redis link back')).length).toBe(1);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      io.close();
    }
  }, 30_000);

  it('closes at once while Redis is away (a stopping replica must not wait for it)', async () => {
    const link = new RedisLink(redis!.url, recordingLogger());
    const io = new Server(createServer(), { adapter: link.adapter() });
    await link.ready(5_000);
    await redis!.stop();
    await waitFor(() => link.state === 'down', 5_000, 'the link to go down');
    const started = Date.now();
    io.close();
    await link.close();
    expect(Date.now() - started).toBeLessThan(2_000);
  }, 20_000);

  it('shares a request limit between two replicas, and falls back to counting alone while Redis is down', async () => {
    const name = `spec-${Date.now()}`;
    const [a, b] = [newLink(), newLink()];
    await Promise.all([a.ready(5_000), b.ready(5_000)]);
    const onA = new RequestLimiter(name, { requests: 4, windowSeconds: 60 }, sharedLimiters(a.limiterClient));
    const onB = new RequestLimiter(name, { requests: 4, windowSeconds: 60 }, sharedLimiters(b.limiterClient));
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await onA.allow('guest'), await onB.allow('guest'));
    expect(answers).withContext('4 allowed across both, not 4 each').toEqual([true, true, true, true, false, false]);
    await redis!.stop();
    await waitFor(() => a.state === 'down', 5_000, 'the link to go down');
    expect(await onA.allow('guest')).withContext('the in-memory insurance answers at once').toBeTrue();
  }, 20_000);

  it('frees a lease where it was granted, even when Redis came back in between', async () => {
    const link = newLink();
    await link.ready(5_000);
    const leases = sharedLimiters(link.limiterClient)({ name: `lease-${Date.now()}`, points: 1, windowSeconds: 10 });
    await redis!.stop();
    await waitFor(() => link.state === 'down', 5_000, 'the link to go down');
    const release = await leases.lease('k');
    expect(release).withContext('granted in memory while Redis is away').not.toBeNull();
    await redis!.start();
    await waitFor(() => link.state === 'up', 10_000, 'the link to come back');
    await release!();
    await redis!.stop();
    await waitFor(() => link.state === 'down', 5_000, 'the link to go down again');
    expect(await leases.lease('k')).withContext('the in-memory lease was freed, not left for its 10 s').not.toBeNull();
  }, 30_000);

  describe('turns', () => {
    /** Runs 12 tasks on one key from two "replicas" at once; returns the most that ever ran together. */
    async function mostAtOnce(limiters: [LimiterFactory, LimiterFactory]): Promise<number> {
      const name = `turns-${Date.now()}-${Math.random()}`;
      const replicas = limiters.map((l) => new SharedTurns(name, l));
      let running = 0;
      let most = 0;
      const task = async () => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 15));
        running--;
      };
      await Promise.all(Array.from({ length: 12 }, (_, i) => replicas[i % 2]!.run('guest-1', task)));
      return most;
    }

    it('hold across replicas that share Redis', async () => {
      const [a, b] = [newLink(), newLink()];
      await Promise.all([a.ready(5_000), b.ready(5_000)]);
      expect(await mostAtOnce([sharedLimiters(a.limiterClient), sharedLimiters(b.limiterClient)])).toBe(1);
    }, 20_000);

    it('do not hold across replicas without it (what the shared turn is for)', async () => {
      expect(await mostAtOnce([localLimiters, localLimiters])).toBe(2);
    });
  });
});
