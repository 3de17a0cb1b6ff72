// The replicas issue: every fact reaches clients on every replica (approvals, settings, blocks; photos
// and pause are in fan-out.spec.ts), and pause and blocks are read from the store on every replica,
// so a replica that missed the broadcast (Redis down) still enforces them.
import type { AdminPhotoPage, PublicSettings } from '@photobook/shared';
import { useCluster, type Cluster } from '../fixtures/cluster';
import { solidPng } from '../fixtures/images';
import type { Replica } from '../fixtures/replica';
import { uploadFile, type TestSocket } from '../fixtures/replica-guests';
import { ask, openConsole, openWall, type ConsoleSocket, type WallScreen } from '../fixtures/replica-screens';

const LIVE_MS = 5_000;
const BLOCKED = ['GUEST_BLOCKED', 'The host has turned off uploads from this phone.'];

const replicasOf = (cluster: Cluster) => cluster.replicas as [Replica, Replica];

/** A new photo from `guest`, or the spec fails. */
async function photoFrom(guest: TestSocket, caption: string): Promise<string> {
  const sent = await uploadFile(guest, await solidPng(40 + caption.length, 30), { caption });
  if (!sent.ok) throw new Error(`upload failed: ${sent.error.code} ${sent.error.message}`);
  return sent.value.id;
}

const refusal = async (guest: TestSocket) => {
  const r = await uploadFile(guest, await solidPng(33, 33));
  return r.ok ? null : [r.error.code, r.error.message];
};

/** Every `settings:changed` the page hears, in order. */
function heardSettings(page: TestSocket): PublicSettings[] {
  const heard: PublicSettings[] = [];
  page.on('settings:changed', (s) => heard.push(s));
  return heard;
}

async function until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !test(); await new Promise((r) => setTimeout(r, 25))) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
  }
}

describe('the host’s decisions on replica A, with replicas linked by Redis', () => {
  const env = useCluster({ replicas: 2 });
  const walls: WallScreen[] = [];
  const consoles: ConsoleSocket[] = [];
  afterEach(() => {
    walls.splice(0).forEach((w) => w.close());
    consoles.splice(0).forEach((c) => c.close());
  });

  it('hold a photo sent on B for approval, and an approval on A puts it on the wall on B', async () => {
    const [a, b] = replicasOf(env.cluster);
    const host = await openConsole(a.url, env.cluster.adminPassword);
    consoles.push(host);
    const onB = await openWall(b.url);
    walls.push(onB);
    expect((await ask(host, 'admin:approval', { required: true })).ok).toBeTrue();
    try {
      const id = await photoFrom(await env.cluster.connectGuest(b), 'waits for the host');
      const pending = await ask<AdminPhotoPage>(host, 'admin:photos', { state: 'pending', search: '', guest: null, cursor: null, limit: 10 });
      expect(pending.ok && pending.value.photos.map((p) => p.id)).withContext('pending on the console of A').toEqual([id]);
      expect(onB.shown.has(id)).withContext('the wall on B before the approval').toBeFalse();
      expect((await ask(host, 'admin:moderate', { id, state: 'visible' })).ok).toBeTrue();
      await onB.until((w) => w.shown.has(id), LIVE_MS, 'the approved photo');
    } finally {
      await ask(host, 'admin:approval', { required: false });
    }
  }, 20_000);

  it('carry a settings change made on A to a wall and a guest page on B', async () => {
    const [a, b] = replicasOf(env.cluster);
    const host = await openConsole(a.url, env.cluster.adminPassword);
    consoles.push(host);
    const onB = await openWall(b.url);
    walls.push(onB);
    const page = await env.cluster.connectGuest(b);
    const [wallHeard, pageHeard] = [heardSettings(onB.socket), heardSettings(page)];
    const changed = await ask(host, 'admin:settings', { title: 'Ana & Ben, Lisbon', wall: { showQr: false } });
    expect(changed.ok).withContext(JSON.stringify(changed)).toBeTrue();
    const told = (heard: PublicSettings[]) => heard.some((s) => s.title === 'Ana & Ben, Lisbon' && !s.wall.showQr);
    await until(() => told(wallHeard) && told(pageHeard), LIVE_MS, 'the new title and showQr off on B');
  }, 20_000);

  it('refuse a guest blocked on A when they begin on B, and take their photos off the wall on B', async () => {
    const [a, b] = replicasOf(env.cluster);
    const onB = await openWall(b.url);
    walls.push(onB);
    const guest = await env.cluster.connectGuest(b);
    const ids = [await photoFrom(guest, 'first'), await photoFrom(guest, 'second')];
    const other = await photoFrom(await env.cluster.connectGuest(b), 'someone else');
    await onB.until((w) => [...ids, other].every((id) => w.shown.has(id)), LIVE_MS, 'the three photos');
    const host = await openConsole(a.url, env.cluster.adminPassword);
    consoles.push(host);
    const blocked = await ask<{ hidden: number }>(host, 'admin:block', { id: ids[0], hide: true });
    expect(blocked.ok && blocked.value).withContext(JSON.stringify(blocked)).toEqual({ hidden: 2 });
    await onB.until((w) => !ids.some((id) => w.shown.has(id)), LIVE_MS, 'the blocked guest’s photos gone');
    expect(onB.shown.has(other)).withContext('another guest’s photo stays').toBeTrue();
    expect(await refusal(guest)).withContext('the blocked guest beginning on B').toEqual(BLOCKED);
  }, 20_000);
});

describe('the host’s decisions on replica A while Redis is down', () => {
  const env = useCluster({ replicas: 2 });

  it('are enforced on B all the same, read from the store: a pause with the host’s message, and a block', async () => {
    const [a, b] = replicasOf(env.cluster);
    const redis = env.cluster.redis!;
    const host = await openConsole(a.url, env.cluster.adminPassword);
    const blockedGuest = await env.cluster.connectGuest(b);
    const guest = await env.cluster.connectGuest(b);
    const heard = heardSettings(guest);
    try {
      await redis.stop();
      await Promise.all([a, b].map((replica) => replica.waitForLine(/redis link lost/, 10_000)));
      const photo = await photoFrom(blockedGuest, 'sent during the outage');
      expect((await ask(host, 'admin:block', { id: photo })).ok).toBeTrue();
      expect(await refusal(blockedGuest)).withContext('the guest blocked on A, beginning on B').toEqual(BLOCKED);
      expect((await ask(host, 'admin:pause', { message: 'Cake first, photos after' })).ok).toBeTrue();
      expect(await refusal(guest)).withContext('a guest on B after the pause on A').toEqual(['UPLOADS_PAUSED', 'Cake first, photos after']);
      expect(heard.filter((s) => s.paused)).withContext('B’s page heard no broadcast of the pause').toEqual([]);
    } finally {
      if (!redis.running) await redis.start();
      await Promise.all([a, b].map((replica) => replica.waitForLine(/redis link back/, 15_000)));
      await ask(host, 'admin:resume');
      host.close();
    }
  }, 60_000);
});
