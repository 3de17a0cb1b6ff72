// Acceptance 1 of the replicas issue: two server processes sharing one store and one Redis behave
// as one server for every screen, and a new job on one is heard of by the others.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AdminStats, PhotoDto, Result } from '@photobook/shared';
import { CLUSTER_START_TIMEOUT_MS, useCluster } from '../fixtures/cluster';
import { ClusterStore, until } from '../fixtures/cluster-store';
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

/** app.ts's ARCHIVE_POLL_MS: without a kick, a replica finds a new archive job at its next poll. */
const ARCHIVE_POLL_MS = 5_000;
/** From the commit on A to the archive copy made by B: a kick heard through Redis, not a poll. */
const KICK_MS = 1_500;

describe('a new archive job on replica A', () => {
  const env = useCluster({ replicas: 0 });
  let stuck: string | null = null;
  afterAll(() => stuck && rm(stuck, { recursive: true, force: true }));

  it('is heard of by replica B through Redis, which makes the copy at once while A’s runner is busy', async () => {
    // A's ExifTool loads this config (Perl) at start and sleeps in it: A's archive runner stays on
    // its first job, as on a slow copy, and only B can take the next ones.
    stuck = await mkdtemp(path.join(os.tmpdir(), 'photobook-stuck-exiftool-'));
    await writeFile(path.join(stuck, '.ExifTool_config'), 'sleep 30; 1;\n');
    const a = await env.cluster.addReplica({ EXIFTOOL_HOME: stuck });
    const store = await ClusterStore.open(env.cluster);
    try {
      const fromA = await env.cluster.connectGuest(a);
      const first = await photoOf(uploadFile(fromA, await solidPng(70, 50), { caption: 'keeps A busy' }));
      await until(() => store.archiveJobHolder(first), (holder) => holder?.startsWith(`web-${a.pid}-`) === true, 5_000, 'A holding the first job');
      const b = await env.cluster.addReplica({ EXIFTOOL_HOME: '' });
      // B's own photo, archived by B's own kick, starts B's ExifTool: the timings below are the kick's alone.
      const warm = await photoOf(uploadFile(await env.cluster.connectGuest(b), await solidPng(71, 50)));
      await until(() => kindOf(store, warm), (kind) => kind === 'original', 10_000, 'archive copy of B’s own photo', 50);
      const firstCommit = Date.now();
      for (const caption of ['kicked 1', 'kicked 22']) {
        const id = await photoOf(uploadFile(fromA, await solidPng(72 + caption.length, 50), { caption }));
        const committed = Date.now();
        await until(() => kindOf(store, id), (kind) => kind === 'original', KICK_MS, `archive copy of "${caption}" (by B)`, 50);
        expect(Date.now() - committed).toBeLessThan(KICK_MS);
      }
      // Two windows of KICK_MS within one poll period: a poll could have made at most one of the copies.
      expect(Date.now() - firstCommit).withContext('both copies within one poll period').toBeLessThan(ARCHIVE_POLL_MS);
      expect(await kindOf(store, first)).withContext('the first photo, still with A').toBe('source');
    } finally {
      await store.close();
      a.signal('SIGKILL'); // its ExifTool sleeps in the config; it ends on its own after
      await a.exited;
    }
  }, 60_000);
});

/** 'original' once the archive copy replaced the photo's source. */
const kindOf = async (store: ClusterStore, id: string) => (await store.fileOf(id))?.kind ?? null;

async function photoOf(sending: Promise<Result<PhotoDto>>): Promise<string> {
  const sent = await sending;
  if (!sent.ok) throw new Error(`upload failed: ${sent.error.code} ${sent.error.message}`);
  return sent.value.id;
}
