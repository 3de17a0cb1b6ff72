// What an operator sees of replicas in production: /metrics that Prometheus reads and that add up,
// /readyz that follows the store, and JSON logs that say what happened and never who or a secret.
import { randomBytes } from 'node:crypto';
import { ADMIN_EXPORT_PATH, ADMIN_SESSION_PATH, normalizeRecoveryCode, type MyPhotoDto, type PhotoDto, type Result } from '@photobook/shared';
import { OwnerKeys } from '../../server/owners/owner-keys';
import { signInAsAdmin } from '../fixtures/admin';
import { useCluster, type Cluster } from '../fixtures/cluster';
import { noisyJpeg } from '../fixtures/hostile-files';
import { leaksIn, linesOf, parseLogLine, readLog, type LogRecord } from '../fixtures/log-lines';
import { expositionProblems, histogramCount, histogramProblems, sampleValue, scrapeMetrics, type Scrape } from '../fixtures/prometheus';
import type { Replica } from '../fixtures/replica';
import { request, uploadFile, type TestSocket } from '../fixtures/replica-guests';
import { ask, openConsole, openWall, type WallScreen } from '../fixtures/replica-screens';
import { beginUpload } from '../fixtures/server';

const METRICS_TOKEN = randomBytes(24).toString('base64url');
const codeOf = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
/** Any 8 characters of a secret in a row count as a leak (an error message may quote part of one). */
const FRAGMENT = 8;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function uploaded(socket: TestSocket, bytes: Buffer, caption: string): Promise<PhotoDto> {
  const sent = await uploadFile(socket, bytes, { caption });
  if (!sent.ok) throw new Error(`upload "${caption}" failed: ${sent.error.code}`);
  return sent.value;
}

/** Polls `read` until `test` holds; throws with the last value after `timeoutMs`. */
async function eventually<T>(read: () => Promise<T>, test: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (test(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await pause(200);
  }
}

describe('a replica’s /metrics', () => {
  const env = useCluster({ replicas: 2, env: { METRICS_TOKEN } });
  const walls: WallScreen[] = [];
  afterEach(() => walls.splice(0).forEach((wall) => wall.close()));
  const scrape = (replica: Replica) => scrapeMetrics(replica.url, METRICS_TOKEN);
  const delta = (before: Scrape, after: Scrape, name: string, labels?: Record<string, string>) =>
    (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
  const countDelta = (before: Scrape, after: Scrape, name: string) => (histogramCount(after, name) ?? NaN) - (histogramCount(before, name) ?? 0);

  it('is exposition text a Prometheus parser reads after real traffic, and the upload counts move on the replica that served them', async () => {
    const [a, b] = env.cluster.replicas as [Replica, Replica];
    walls.push(await openWall(a.url), await openWall(b.url));
    const [beforeA, beforeB] = await Promise.all([scrape(a), scrape(b)]);
    const guest = await env.cluster.connectGuest(a);
    const photos = [await noisyJpeg(120, 90), await noisyJpeg(90, 120)];
    for (const [i, bytes] of photos.entries()) await uploaded(guest, bytes, `metrics ${i}`);
    const empty = await request(guest, 'upload:begin', { clientUploadId: 'ops-metrics-empty', name: 'e.jpg', size: 0, type: 'image/jpeg', caption: '', author: '' });
    expect(codeOf(empty)).toBe('EMPTY_FILE');
    const [afterA, afterB] = await Promise.all([scrape(a), scrape(b)]);

    for (const [name, s] of [['A', afterA], ['B', afterB]] as const) {
      expect(s.contentType).withContext(name).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(expositionProblems(s.text)).withContext(name).toEqual([]);
      expect(histogramProblems(s)).withContext(name).toEqual([]);
      const untyped = [...s.families.values()].filter((f) => f.type === 'UNTYPED' || f.help === '').map((f) => f.name);
      expect(untyped).withContext(`${name}: families without a type or help`).toEqual([]);
    }
    expect(delta(beforeA, afterA, 'photobook_uploads_begun_total')).toBe(2);
    expect(delta(beforeA, afterA, 'photobook_uploads_committed_total')).toBe(2);
    expect(delta(beforeA, afterA, 'photobook_uploads_failed_total', { code: 'EMPTY_FILE' })).toBe(1);
    expect(delta(beforeA, afterA, 'photobook_upload_bytes_received_total')).toBeGreaterThanOrEqual(photos[0]!.length + photos[1]!.length);
    expect(countDelta(beforeA, afterA, 'photobook_upload_commit_seconds')).toBe(2);
    expect(countDelta(beforeA, afterA, 'photobook_image_processing_seconds')).toBe(2);
    for (const counter of ['photobook_uploads_begun_total', 'photobook_uploads_committed_total', 'photobook_upload_bytes_received_total']) {
      expect(delta(beforeB, afterB, counter)).withContext(`${counter} on B, which served no upload`).toBe(0);
    }
    expect(delta(beforeB, afterB, 'photobook_uploads_failed_total', { code: 'EMPTY_FILE' })).withContext('B').toBe(0);
  }, 30_000);

  it('counts the sockets of its own, the walls of both replicas, Redis up, the job queue and the event-loop lag', async () => {
    const [a, b] = env.cluster.replicas as [Replica, Replica];
    walls.push(await openWall(a.url), await openWall(b.url), await openWall(b.url));
    await env.cluster.connectGuest(a);
    for (const [replica, ownSockets] of [[a, 2], [b, 2]] as const) {
      const s = await eventually(() => scrape(replica), (x) => sampleValue(x, 'photobook_walls_connected') === 3, 5_000, `3 walls on ${replica.name}`);
      expect(sampleValue(s, 'photobook_sockets', { namespace: '/' })).withContext(replica.name).toBeGreaterThanOrEqual(ownSockets);
      expect(sampleValue(s, 'photobook_redis_up')).withContext(replica.name).toBe(1);
      expect(sampleValue(s, 'photobook_redis_configured')).withContext(replica.name).toBe(1);
      expect(sampleValue(s, 'photobook_replicas')).withContext(replica.name).toBe(2);
      const depth = sampleValue(s, 'photobook_job_queue_depth');
      expect(Number.isFinite(depth) && depth! >= 0).withContext(`job queue depth ${depth} on ${replica.name}`).toBeTrue();
      expect(s.families.get('nodejs_eventloop_lag_seconds')?.type).withContext(replica.name).toBe('GAUGE');
      expect(s.families.get('photobook_metrics_sample_failures_total')?.metrics ?? []).withContext(`${replica.name}: failed readings`).toEqual([]);
    }
  }, 30_000);

  it('asks for METRICS_TOKEN as a bearer token: 401 without it or with another, 200 with it', async () => {
    const url = `${env.cluster.replicas[0]!.url}/metrics`;
    const bare = await fetch(url);
    expect([bare.status, bare.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
    expect((await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: METRICS_TOKEN } })).status).withContext('no Bearer word').toBe(401);
    const right = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('photobook_uploads_begun_total');
  }, 10_000);
});

describe('a replica’s /readyz while its store is down', () => {
  const env = useCluster({ replicas: 1, store: 'private' });
  const OUTAGE_MS = 14_000;

  async function probe(url: string): Promise<{ status: number; body: unknown; ms: number }> {
    const started = Date.now();
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: await res.json(), ms: Date.now() - started };
  }

  it('answers 503 "The store does not answer." within seconds, keeps /healthz at 200, and is ready again within 30 s of the store’s return', async () => {
    const replica = env.cluster.replicas[0]!;
    let exited = false;
    void replica.exited.then(() => (exited = true));
    expect((await probe(`${replica.url}/readyz`)).body).toEqual({ ready: true });

    await env.cluster.mongo.kill();
    const killedAt = Date.now();
    const down = await eventually(() => probe(`${replica.url}/readyz`), (p) => p.status === 503, 5_000, '/readyz 503 after the store died');
    expect(down.body).toEqual({ ready: false, reason: 'The store does not answer.' });
    expect(Date.now() - killedAt).withContext('ms to the first 503').toBeLessThan(5_000);
    // Past the driver's heartbeat (10 s): from then on it knows the server is gone and would wait
    // out server selection (30 s) unless the probe bounds its ping.
    const probes = [down];
    while (Date.now() - killedAt < OUTAGE_MS) probes.push(await probe(`${replica.url}/readyz`));
    expect(new Set(probes.map((p) => p.status))).withContext('it stays not ready').toEqual(new Set([503]));
    expect(Math.max(...probes.map((p) => p.ms))).withContext('slowest probe, ms (each is bounded to ~2 s)').toBeLessThan(3_000);
    const health = await probe(`${replica.url}/healthz`);
    expect([health.status, health.body]).toEqual([200, { ok: true }]);
    expect(health.ms).toBeLessThan(1_000);
    const metrics = await scrapeMetrics(replica.url);
    expect(expositionProblems(metrics.text)).withContext('/metrics with the store down').toEqual([]);
    expect(sampleValue(metrics, 'photobook_metrics_sample_failures_total', { source: 'jobQueue' })).withContext('the job queue unread').toBeGreaterThanOrEqual(1);

    await env.cluster.mongo.restart();
    const back = await eventually(() => probe(`${replica.url}/readyz`), (p) => p.status === 200, 30_000, '/readyz 200 after the store came back');
    expect(back.body).toEqual({ ready: true });
    expect(exited).withContext('the replica exited meanwhile').toBeFalse();
    const records = replica.lines.map(parseLogLine).flatMap((r) => (typeof r === 'string' ? [] : [r]));
    const said = records.filter((r) => r.msg === 'ready' || r.msg === 'not ready').map((r) => [r.level, r.msg, r['reason']]);
    expect(said).withContext('each change of answer, logged once').toEqual([['warn', 'not ready', 'The store does not answer.'], ['info', 'ready', undefined]]);
  }, 60_000);
});

describe('the log lines of a whole session on two replicas', () => {
  const env = useCluster({ replicas: 2 });
  let session: Promise<SessionSecrets> | undefined;
  /** Runs once for this describe (whichever spec comes first) and returns the secrets to scan for. */
  const sessionSecrets = () => (session ??= runSession(env.cluster));

  it('hold no guest id, owner key or cookie, no recovery code, no admin password and not COOKIE_SECRET, whole or in part', async () => {
    const { secrets, cookieHeaders } = await sessionSecrets();
    const lines = linesOf(env.cluster.replicas);
    expect(lines.length).withContext('lines scanned').toBeGreaterThan(30);
    expect(leaksIn(lines, secrets, FRAGMENT)).toEqual([]);
    expect(leaksIn(lines, cookieHeaders)).toEqual([]);
  }, 90_000);

  it('are JSON objects with level, time and msg, apart from the start banner', async () => {
    await sessionSecrets();
    const { records, problems } = readLog(linesOf(env.cluster.replicas));
    expect(problems).toEqual([]);
    expect(records.length).toBeGreaterThan(20);
  }, 90_000);

  it('say each upload outcome, each admin action and the Redis outage', async () => {
    await sessionSecrets();
    const { records } = readLog(linesOf(env.cluster.replicas));
    const said = (msg: string, where: (r: LogRecord) => boolean = () => true) => records.filter((r) => r.msg === msg && where(r));
    expect(said('photo uploaded').length).withContext('photo uploaded').toBeGreaterThanOrEqual(4);
    for (const errorCode of ['EMPTY_FILE', 'UPLOADS_PAUSED', 'GUEST_BLOCKED']) {
      expect(said('upload refused', (r) => r['errorCode'] === errorCode).length).withContext(`upload refused ${errorCode}`).toBe(1);
    }
    expect(said('upload not committed', (r) => r['errorCode'] === 'UPLOAD_INCOMPLETE').length).toBe(1);
    expect(said('admin sign-in failed').map((r) => r.level)).toEqual(['warn']);
    expect(said('http client error').map((r) => [r.level, r['status'], r['reason']])).withContext('the sign-in that was no JSON').toEqual([['warn', 400, 'entity.parse.failed']]);
    expect(said('admin signed in').length).withContext('two sign-ins: the console and the export').toBe(2);
    const actions = ['admin paused uploads', 'admin resumed uploads', 'admin changed settings', 'admin moderated a photo', 'admin blocked a guest', 'admin removed a photo', 'admin exported the photos', 'admin signed out'];
    for (const action of actions) expect(said(action).map((r) => r.level)).withContext(action).toEqual(['info']);
    expect(said('admin changed settings')[0]?.['fields']).toEqual(['title']);
    expect(said('admin moderated a photo')[0]?.['state']).toBe('hidden');
    for (const name of env.cluster.replicas.map((r) => r.name)) {
      const mine = records.filter((r) => r.replica === name);
      expect(mine.filter((r) => r.msg.startsWith('redis link lost')).map((r) => r.level)).withContext(`${name}: link lost`).toEqual(['warn']);
      expect(mine.filter((r) => r.msg.startsWith('redis link back')).length).withContext(`${name}: link back`).toBe(1);
    }
  }, 90_000);
});

interface SessionSecrets {
  /** Scanned for whole and in part. */
  readonly secrets: Readonly<Record<string, string>>;
  /** "pb_owner=..." and "pb_admin=...", scanned for whole (the cookie names alone are no secret). */
  readonly cookieHeaders: Readonly<Record<string, string>>;
}

/**
 * Guests upload (one refused, one not committed), edit, delete, recover on another browser; the host
 * signs in (once wrongly, once in a body that is no JSON), pauses, resumes, changes a setting, hides,
 * blocks, removes, exports and signs out; Redis goes away and comes back. Returns every secret that
 * went by, by name.
 */
async function runSession(cluster: Cluster): Promise<SessionSecrets> {
  const [a, b] = cluster.replicas as [Replica, Replica];
  const screens = [await openWall(a.url), await openWall(b.url)];
  const guests = [cluster.newGuest(), cluster.newGuest(), cluster.newGuest()] as const;
  const [g1, g2, g3] = guests;
  const g1OnA = await cluster.connectGuest(a, g1.cookie);
  const first = await uploaded(g1OnA, await noisyJpeg(80, 60), 'first');
  const second = await uploaded(g1OnA, await noisyJpeg(60, 80), 'second');
  const g2OnB = await cluster.connectGuest(b, g2.cookie);
  const third = await uploaded(g2OnB, await noisyJpeg(70, 70), 'from B');
  const empty = await request(g2OnB, 'upload:begin', { clientUploadId: 'ops-session-empty', name: 'e.jpg', size: 0, type: 'image/jpeg', caption: '', author: '' });
  expect(codeOf(empty)).toBe('EMPTY_FILE');
  const early = await beginUpload(g2OnB, 'ops-session-early', 5_000);
  expect(codeOf(await request(g2OnB, 'upload:commit', { uploadId: early }))).toBe('UPLOAD_INCOMPLETE');

  // The first guest's other tab, on B: edit one photo, delete the other.
  const g1OnB = await cluster.connectGuest(b, g1.cookie);
  expect(codeOf(await request(g1OnB, 'photo:update', { id: first.id, caption: 'first, edited' }))).toBe('ok');
  expect(codeOf(await request(g1OnB, 'photo:remove', { id: second.id }))).toBe('ok');
  const issued = await request<{ code: string }>(g1OnA, 'owner:code', {});
  if (!issued.ok) throw new Error(`owner:code: ${issued.error.code}`);
  const typed = issued.value.code.toLowerCase().replace(/-/g, ' ');
  const g3OnB = await cluster.connectGuest(b, g3.cookie);
  expect(codeOf(await request(g3OnB, 'owner:recover', { code: 'AAAA-AAAA-AAAA-A' }))).toBe('RECOVERY_CODE_INVALID');
  expect(codeOf(await request(g3OnB, 'owner:recover', { code: typed }))).toBe('ok');
  const mine = await request<MyPhotoDto[]>(g3OnB, 'mine:list', {});
  // Contains, not equals, and no captions: on FerretDB an edit or a removal that races the archive
  // copy's swap can be lost (README: it applies updates as read-modify-write).
  expect(mine.ok ? mine.value.map((p) => p.id) : []).withContext('the recovered photos').toContain(first.id);

  // The host: a typo, then the console on A.
  const wrongPassword = `${cluster.adminPassword}-typo`;
  const typo = await fetch(a.url + ADMIN_SESSION_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: a.url },
    body: JSON.stringify({ password: wrongPassword }),
  });
  expect(typo.status).toBe(401);
  // The right password in a body that is not JSON (a hand-written curl): refused before any check.
  const garbled = await fetch(a.url + ADMIN_SESSION_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: a.url },
    body: `{"password": ${cluster.adminPassword}}`,
  });
  expect(garbled.status).toBe(400);
  const desk = await openConsole(a.url, cluster.adminPassword);
  expect(codeOf(await ask(desk, 'admin:pause', { message: 'Speeches now' }))).toBe('ok');
  expect(codeOf(await uploadFile(g1OnB, await noisyJpeg(50, 50)))).toBe('UPLOADS_PAUSED');
  expect(codeOf(await ask(desk, 'admin:resume'))).toBe('ok');
  expect(codeOf(await ask(desk, 'admin:settings', { title: 'Operations night' }))).toBe('ok');
  expect(codeOf(await ask(desk, 'admin:moderate', { id: first.id, state: 'hidden' }))).toBe('ok');
  expect(codeOf(await ask(desk, 'admin:block', { id: third.id, hide: true }))).toBe('ok');
  expect(codeOf(await uploadFile(g2OnB, await noisyJpeg(40, 40)))).toBe('GUEST_BLOCKED');
  expect(codeOf(await ask(desk, 'admin:remove', { id: third.id }))).toBe('ok');
  desk.close();
  // The export and the sign-out on B, with a session of their own.
  const adminCookie = await signInAsAdmin(b.url, cluster.adminPassword);
  const zip = await fetch(b.url + ADMIN_EXPORT_PATH, { headers: { cookie: adminCookie } });
  expect([zip.status, (await zip.arrayBuffer()).byteLength > 22]).toEqual([200, true]);
  const out = await fetch(b.url + ADMIN_SESSION_PATH, { method: 'DELETE', headers: { cookie: adminCookie, origin: b.url } });
  expect(out.status).toBe(204);

  // Redis away: each replica says so once, a guest still uploads, then both say it is back.
  await cluster.redis!.stop();
  await Promise.all([a, b].map((r) => r.waitForLine(/redis link lost/, 10_000)));
  await uploaded(g1OnA, await noisyJpeg(64, 64), 'during the outage');
  await cluster.redis!.start();
  await Promise.all([a, b].map((r) => r.waitForLine(/redis link back/, 20_000)));
  screens.forEach((screen) => screen.close());

  const keys = new OwnerKeys(cluster.cookieSecret);
  const symbols = normalizeRecoveryCode(issued.value.code)!;
  const secrets: Record<string, string> = {
    COOKIE_SECRET: cluster.cookieSecret,
    'admin password': cluster.adminPassword,
    'wrong admin password': wrongPassword,
    // pb_admin=<session id>.<expiry ms>.<signature>: the expiry is a number, not a secret.
    'admin session id': adminCookie.slice(adminCookie.indexOf('=') + 1).split('.')[0]!,
    'admin session signature': adminCookie.split('.').at(-1)!,
    'recovery code as shown': issued.value.code,
    'recovery code normalised': symbols,
    'recovery code as typed': typed,
    'recovery code hash': keys.codeHash(symbols),
  };
  const cookieHeaders: Record<string, string> = { 'admin Cookie header': adminCookie };
  guests.forEach((guest, i) => {
    secrets[`guest ${i + 1} id`] = guest.uid;
    secrets[`guest ${i + 1} owner key`] = keys.keyOf(guest.uid);
    secrets[`guest ${i + 1} cookie value`] = guest.cookie.slice(guest.cookie.indexOf('=') + 1);
    cookieHeaders[`guest ${i + 1} Cookie header`] = guest.cookie;
  });
  return { secrets, cookieHeaders };
}
