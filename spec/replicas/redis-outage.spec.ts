// Acceptance of the replicas issue: Redis is stopped for 10 s during uploads on A, then restarted. No
// process exits. Within 30 s of its return, the wall on B holds exactly the right set, and a console on B
// (which hears of nothing while Redis is down) catches up with the photos and the pause made meanwhile.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AdminStateDto, AdminStats } from '@photobook/shared';
import { useCluster } from '../fixtures/cluster';
import { solidPng } from '../fixtures/images';
import type { Replica } from '../fixtures/replica';
import { request, uploadFile, type TestSocket } from '../fixtures/replica-guests';
import { ask, openConsole, openConsoleScreen, openWall, type ConsoleSocket, type WallScreen } from '../fixtures/replica-screens';

const OUTAGE_MS = 10_000;
/** The acceptance's bound, from Redis answering again to the wall on B being right. */
const HEAL_MS = 30_000;
/** One new photo about this often, before, through and after the outage. */
const UPLOAD_EVERY_MS = 600;
const UPLOADS_AFTER_RETURN = 3;
const LIVE_MS = 5_000;

type Phase = 'before' | 'outage' | 'after';

interface Sent {
  readonly phase: Phase;
  /** The new photo's id, or null when the upload failed (then `failure` says how). */
  readonly id: string | null;
  readonly failure?: string;
}

/** A guest who keeps uploading new photos, one at a time, until stopped; each result is kept with its phase. */
function keepUploading(guest: TestSocket, phase: () => Phase) {
  const sent: Sent[] = [];
  let stopped = false;
  const done = (async () => {
    for (let n = 0; !stopped; n++) {
      const started = Date.now();
      const at = phase();
      const image = await solidPng(40 + n, 30 + (n % 7));
      // A request with no ack in 5 s rejects: a failed upload too, not the end of the loop.
      const result = await uploadFile(guest, image, { caption: `${at} ${n}`, clientUploadId: `outage-${n}-${started}` }).catch((e: unknown) => String(e));
      if (typeof result === 'string') sent.push({ phase: at, id: null, failure: result });
      else sent.push(result.ok ? { phase: at, id: result.value.id } : { phase: at, id: null, failure: `${result.error.code} ${result.error.message}` });
      await sleep(Math.max(0, UPLOAD_EVERY_MS - (Date.now() - started)));
    }
  })();
  return {
    sent,
    count: (which: Phase) => sent.filter((s) => s.phase === which).length,
    async stop(): Promise<readonly Sent[]> {
      stopped = true;
      await done;
      return sent;
    },
  };
}

async function until(test: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await sleep(100);
  }
}

async function readiness(replica: Replica): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${replica.url}/readyz`);
  return { status: res.status, body: await res.json() };
}

async function clusterSeenBy(host: ConsoleSocket): Promise<AdminStats['cluster']> {
  const stats = await ask<AdminStats>(host, 'admin:stats');
  if (!stats.ok) throw new Error(`admin:stats failed: ${stats.error.code}`);
  return stats.value.cluster;
}

/** True while the process runs: its exit has not settled and the pid still takes signal 0. */
async function alive(replica: Replica): Promise<boolean> {
  const exited = await Promise.race([replica.exited.then(() => true), sleep(0).then(() => false)]);
  try {
    process.kill(replica.pid, 0);
  } catch {
    return false;
  }
  return !exited;
}

const linesLike = (replica: Replica, pattern: RegExp) => replica.lines.filter((line) => pattern.test(line)).length;
const sorted = (ids: Iterable<string>) => [...ids].sort();
const sameSet = (shown: ReadonlySet<string>, truth: ReadonlySet<string>) => shown.size === truth.size && [...truth].every((id) => shown.has(id));

describe('a Redis outage of 10 s while a guest uploads on replica A', () => {
  const env = useCluster({ replicas: 2 });
  const walls: WallScreen[] = [];
  const consoles: ConsoleSocket[] = [];
  let uploader: ReturnType<typeof keepUploading> | null = null;
  afterEach(async () => {
    await uploader?.stop(); // a spec that failed half-way leaves it running
    walls.splice(0).forEach((w) => w.close());
    consoles.splice(0).forEach((c) => c.close());
  }, 20_000);

  it('loses no upload and exits no process, and within 30 s of Redis’s return the wall on B shows exactly the visible photos', async () => {
    const { cluster } = env;
    const [a, b] = cluster.replicas as [Replica, Replica];
    const redis = cluster.redis!;
    const onB = await openWall(b.url);
    walls.push(onB);
    const host = await openConsole(a.url, cluster.adminPassword);
    consoles.push(host);
    const guest = await cluster.connectGuest(a);
    let phase: Phase = 'before';
    const uploads = (uploader = keepUploading(guest, () => phase));

    // Before: the photos reach B through Redis as usual; the first of them is removed later.
    await until(() => uploads.count('before') >= 3, 15_000, 'three uploads before the outage');
    const doomed = uploads.sent[0]!.id;
    if (doomed === null) return fail(`the first upload failed: ${uploads.sent[0]!.failure}`);
    await onB.until((w) => w.shown.has(doomed), LIVE_MS, 'the first photo, live from A');

    phase = 'outage';
    await redis.stop();
    const stoppedAt = Date.now();
    await until(async () => (await clusterSeenBy(host)).redis === 'down', 5_000, 'the console on A saying Redis is down');
    expect(await clusterSeenBy(host)).withContext('admin:stats on A during the outage').toEqual({ redis: 'down', replicas: 1, partial: true });
    for (const replica of [a, b]) {
      expect(await readiness(replica))
        .withContext(`/readyz on ${replica.name} during the outage`)
        .toEqual({ status: 503, body: { ready: false, reason: 'Redis does not answer.' } });
    }
    // The owner removes a photo B's wall already shows: only a catch-up can take it off there.
    const removed = await request(guest, 'photo:remove', { id: doomed });
    expect(removed.ok).withContext(`photo:remove during the outage: ${JSON.stringify(removed)}`).toBeTrue();
    await sleep(Math.max(0, stoppedAt + OUTAGE_MS - Date.now()));
    expect((await readiness(a)).status).withContext('/readyz on A at the end of the outage').toBe(503);

    phase = 'after';
    await redis.start();
    const returnedAt = Date.now();
    await Promise.all([a, b].map((replica) => replica.waitForLine(/redis link back/, 15_000)));
    await until(() => uploads.count('after') >= UPLOADS_AFTER_RETURN, 15_000, `${UPLOADS_AFTER_RETURN} uploads after Redis returned`);
    const sent = await uploads.stop();

    const failed = sent.filter((s) => s.id === null).map((s) => `${s.phase}: ${s.failure}`);
    expect(failed).withContext('every upload succeeds, the outage included (uploads never depend on Redis)').toEqual([]);
    expect(uploads.count('outage')).withContext('uploads during the 10 s outage').toBeGreaterThanOrEqual(8);
    const truth = new Set(sent.flatMap((s) => (s.id !== null && s.id !== doomed ? [s.id] : [])));

    const left = HEAL_MS - (Date.now() - returnedAt);
    // Waits out what is left of the 30 s; the expectation below then shows what differs, if anything.
    await onB.until((w) => sameSet(w.shown, truth), left, `exactly the ${truth.size} visible photos`).catch(() => undefined);
    expect(sorted(onB.shown)).withContext('the wall on B, 30 s after Redis’s return at the latest').toEqual(sorted(truth));
    expect(onB.resumes).withContext('feed:resumed heard by the wall on B').toBeGreaterThanOrEqual(1);
    const freshOnA = await openWall(a.url);
    walls.push(freshOnA);
    expect(sorted(freshOnA.shown)).withContext('a wall opened on A afterwards (the store’s truth)').toEqual(sorted(truth));

    expect(await readiness(a)).withContext('/readyz on A after the return').toEqual({ status: 200, body: { ready: true } });
    expect((await clusterSeenBy(host)).redis).withContext('admin:stats on A after the return').toBe('up');
    for (const replica of [a, b]) {
      expect(await alive(replica)).withContext(`${replica.name} still running`).toBeTrue();
      expect(linesLike(replica, /redis link lost/)).withContext(`'redis link lost' lines of ${replica.name}`).toBe(1);
      expect(linesLike(replica, /redis link back/)).withContext(`'redis link back' lines of ${replica.name}`).toBe(1);
    }
  }, OUTAGE_MS + HEAL_MS + 40_000);
});

describe('a host’s console on replica B through a Redis outage', () => {
  const env = useCluster({ replicas: 2 });

  it('learns, within 30 s of Redis’s return, the photos, the removal and the pause made on A while it was down', async () => {
    const { cluster } = env;
    const [a, b] = cluster.replicas as [Replica, Replica];
    const redis = cluster.redis!;
    const onB = await openConsoleScreen(b.url, cluster.adminPassword);
    const host = await openConsole(a.url, cluster.adminPassword);
    let pausedOnB = null as string | null; // the pause message while the console on B shows uploads paused
    onB.socket.on('state:changed', (state: AdminStateDto) => (pausedOnB = state.uploads.paused ? state.uploads.pauseMessage : null));
    try {
      const guest = await cluster.connectGuest(a);
      const upload = async (caption: string) => {
        const sent = await uploadFile(guest, await solidPng(50 + caption.length, 40), { caption });
        if (!sent.ok) throw new Error(`upload failed: ${sent.error.code}`);
        return sent.value.id;
      };
      const doomed = await upload('before');
      await onB.until((c) => c.listed.has(doomed), LIVE_MS, 'the photo uploaded before the outage');

      await redis.stop();
      await Promise.all([a, b].map((replica) => replica.waitForLine(/redis link lost/, 10_000)));
      const truth = new Set([await upload('during 1'), await upload('during 22'), await upload('during 333')]);
      expect((await request(guest, 'photo:remove', { id: doomed })).ok).withContext('photo:remove during the outage').toBeTrue();
      expect((await ask(host, 'admin:pause', { message: 'Dinner is served' })).ok).withContext('admin:pause during the outage').toBeTrue();
      await sleep(1_000);
      expect(sorted(onB.listed)).withContext('the console on B during the outage (no catch-up yet)').toEqual([doomed]);

      await redis.start();
      await onB
        .until((c) => sameSet(c.listed, truth) && c.stats?.photos.visible === truth.size && pausedOnB !== null, HEAL_MS, 'the store’s photos and the pause')
        .catch(() => undefined); // the expectations below show what differs
      expect(sorted(onB.listed)).withContext('the console’s list on B, 30 s after Redis’s return at the latest').toEqual(sorted(truth));
      expect(onB.stats?.photos).withContext('the console’s stats on B').toEqual({ visible: truth.size, pending: 0, hidden: 0 });
      expect(pausedOnB).withContext('the pause as the console on B shows it').toBe('Dinner is served');
    } finally {
      if (!redis.running) await redis.start();
      await Promise.all([a, b].map((replica) => replica.waitForLine(/redis link back/, 15_000)));
      await ask(host, 'admin:resume');
      host.close();
      onB.close();
    }
  }, HEAL_MS + 40_000);
});
