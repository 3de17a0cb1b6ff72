// Acceptance 1 of the replicas issue: two server processes sharing one store and one Redis behave
// as one server for every screen.
import type { AdminStats, PhotoDto } from '@photobook/shared';
import { CLUSTER_START_TIMEOUT_MS, useCluster } from '../fixtures/cluster';
import { solidPng } from '../fixtures/images';
import { request, uploadFile } from '../fixtures/replica-guests';
import { ask, openConsole, openWall, type WallScreen } from '../fixtures/replica-screens';

const LIVE_MS = 5_000;

describe('two replicas linked by Redis', () => {
  const env = useCluster({ replicas: 2 });
  const walls: WallScreen[] = [];
  afterEach(() => walls.splice(0).forEach((w) => w.close()));

  it('show a photo uploaded on A on the walls of A and B at once', async () => {
    const [a, b] = env.cluster.replicas as [typeof env.cluster.replicas[0], typeof env.cluster.replicas[0]];
    const onA = await openWall(a!.url);
    const onB = await openWall(b!.url);
    walls.push(onA, onB);
    const guest = await env.cluster.connectGuest(a!);
    const sent = await uploadFile(guest, await solidPng(64, 48), { caption: 'fan-out' });
    if (!sent.ok) fail(sent.error.message);
    const id = (sent as { value: PhotoDto }).value.id;
    await onA.until((w) => w.shown.has(id), LIVE_MS, 'the photo on A');
    await onB.until((w) => w.shown.has(id), LIVE_MS, 'the photo on B');
  }, CLUSTER_START_TIMEOUT_MS);

  it('carry an edit and a delete made on B to the wall on A', async () => {
    const [a, b] = env.cluster.replicas;
    const onA = await openWall(a!.url);
    walls.push(onA);
    const { cookie } = env.cluster.newGuest();
    const fromA = await env.cluster.connectGuest(a!, cookie);
    const sent = await uploadFile(fromA, await solidPng(60, 40), { caption: 'before' });
    if (!sent.ok) return fail(sent.error.message);
    const id = sent.value.id;
    await onA.until((w) => w.shown.has(id), LIVE_MS, 'the new photo');
    // The same guest, now on B (another tab, or the balancer moved them).
    const fromB = await env.cluster.connectGuest(b!, cookie);
    const edited = await request(fromB, 'photo:update', { id, caption: 'after' });
    expect(edited.ok).withContext(JSON.stringify(edited)).toBeTrue();
    await onA.until((w) => w.photos.get(id)?.caption === 'after', LIVE_MS, 'the new caption');
    const removed = await request(fromB, 'photo:remove', { id });
    expect(removed.ok).withContext(JSON.stringify(removed)).toBeTrue();
    await onA.until((w) => !w.shown.has(id), LIVE_MS, 'the photo gone');
  }, 20_000);

  it('refuse a guest on B with the host’s message once the host pauses on A, and take them again after resume', async () => {
    const [a, b] = env.cluster.replicas;
    const console = await openConsole(a!.url, env.cluster.adminPassword);
    try {
      const guest = await env.cluster.connectGuest(b!);
      const told = new Promise<{ paused: boolean; pauseMessage: string }>((resolve) =>
        guest.on('settings:changed', (s) => s.paused && resolve(s)),
      );
      expect((await ask(console, 'admin:pause', { message: 'Speeches now: back at nine' })).ok).toBeTrue();
      expect((await told).pauseMessage).withContext('the page on B hears of the pause').toBe('Speeches now: back at nine');
      const refused = await uploadFile(guest, await solidPng(30, 30));
      expect(refused.ok ? null : [refused.error.code, refused.error.message]).toEqual(['UPLOADS_PAUSED', 'Speeches now: back at nine']);
      expect((await ask(console, 'admin:resume')).ok).toBeTrue();
      expect((await uploadFile(guest, await solidPng(31, 30))).ok).toBeTrue();
    } finally {
      console.close();
    }
  }, 20_000);

  it('count the walls of both replicas on the console of either', async () => {
    const [a, b] = env.cluster.replicas;
    walls.push(await openWall(a!.url), await openWall(b!.url), await openWall(b!.url));
    for (const replica of [a!, b!]) {
      const console = await openConsole(replica.url, env.cluster.adminPassword);
      try {
        const stats = await ask<AdminStats>(console, 'admin:stats');
        if (!stats.ok) return fail(stats.error.message);
        expect([stats.value.walls, stats.value.cluster]).withContext(replica.name).toEqual([3, { redis: 'up', replicas: 2, partial: false }]);
      } finally {
        console.close();
      }
    }
  }, 20_000);
});
