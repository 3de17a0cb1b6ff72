import { embeddedOnly } from '../fixtures/spec-store';
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { io as connect, type Socket } from 'socket.io-client';
import {
  ADMIN_NAMESPACE,
  ADMIN_SESSION_PATH,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type AdminPhotoDto,
  type AdminStateDto,
  type AdminStats,
  type PhotoDto,
  type UploadSettings,
} from '@photobook/shared';
import { prepareAdminPassword, verifyAdminPassword } from '../../server/admin/admin-password';
import { AdminCookie } from '../../server/http/admin-cookie';
import { SignInLimiter, type SignInLimits } from '../../server/limits/sign-in-limiter';
import { noisyJpeg } from '../fixtures/hostile-files';
import { connectClient, guestCookie, request, settingsOf, startTestServer, uploadFile, type TestServer, type TestSocket } from '../fixtures/server';

type AdminSocket = Socket<AdminServerToClientEvents, AdminClientToServerEvents>;

const PASSWORD = 'correct-horse-battery-staple';
const TWELVE_HOURS_MS = 12 * 60 * 60 * 1000;
/** Generous, so that only the lockout spec ever locks out; no delays, so specs stay fast. */
const ROOMY: SignInLimits = {
  perIp: { failures: 50, windowSeconds: 60, lockoutSeconds: 60 },
  overall: { failures: 50, windowSeconds: 60, lockoutSeconds: 60 },
  delayMs: 0,
  maxDelayMs: 0,
};

describe('Admin access', () => {
  let server: TestServer | null = null;
  let clockOffsetMs = 0;
  const sockets: Array<AdminSocket | TestSocket> = [];

  /** A server whose admin password is PASSWORD (or none yet, like a first start). */
  async function start(signInLimits: SignInLimits = ROOMY, adminPassword: string | null = PASSWORD): Promise<TestServer> {
    clockOffsetMs = 0;
    const now = () => Date.now() + clockOffsetMs;
    server = await startTestServer({ ...(adminPassword ? { adminPassword } : {}), signInLimits, now });
    return server;
  }

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server?.close();
    server = null;
  });

  function call(method: string, options: { cookie?: string; origin?: string | null; body?: unknown } = {}): Promise<Response> {
    const url = server!.url;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const origin = options.origin === undefined ? url : options.origin;
    if (origin !== null) headers['origin'] = origin;
    if (options.cookie) headers['cookie'] = options.cookie;
    const body = options.body === undefined ? {} : { body: JSON.stringify(options.body) };
    return fetch(url + ADMIN_SESSION_PATH, { method, headers, ...body });
  }

  const signIn = (password: string, origin?: string | null) => call('POST', { body: { password }, origin });

  /** The pb_admin=... pair a sign-in answer set. */
  async function signedInCookie(): Promise<string> {
    const res = await signIn(PASSWORD);
    expect(res.status).toBe(200);
    const header = res.headers.getSetCookie().find((c) => c.startsWith('pb_admin='));
    if (!header) throw new Error('no pb_admin cookie');
    return header.split(';')[0]!;
  }

  function connectAdmin(cookie?: string): Promise<AdminSocket> {
    const socket: AdminSocket = connect(server!.url + ADMIN_NAMESPACE, {
      forceNew: true,
      reconnection: false,
      extraHeaders: cookie ? { cookie } : {},
    });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }

  async function guest(): Promise<TestSocket> {
    const socket = await connectClient(server!.url, { cookie: guestCookie().cookie });
    sockets.push(socket);
    return socket;
  }

  /** Every way in without a live session: each is refused by every route and at the handshake. */
  const strangers: Record<string, () => Promise<string | undefined>> = {
    'no cookie at all': async () => undefined,
    "a guest's owner cookie": async () => guestCookie().cookie,
    'a pb_admin cookie for a real session signed with another secret': async () => {
      const [id, expiresAt] = (await signedInCookie()).slice('pb_admin='.length).split('.');
      const forged = new AdminCookie('not-the-server-secret-not-the-server', false).issue(id!, Number(expiresAt), Date.now());
      return forged.split(';')[0];
    },
    'the cookie of a session that expired': async () => {
      const cookie = await signedInCookie();
      clockOffsetMs = TWELVE_HOURS_MS + 1000;
      return cookie;
    },
  };

  for (const [who, credential] of Object.entries(strangers)) {
    it(`refuses ${who} on every admin route and at the admin socket's handshake`, async () => {
      await start();
      const cookie = await credential();
      expect((await call('GET', { cookie })).status).toBe(401);
      expect((await call('DELETE', { cookie })).status).toBe(401);
      // A cookie never stands in for the password.
      expect((await call('POST', { cookie, body: { password: 'not the password' } })).status).toBe(401);
      await expectAsync(connectAdmin(cookie)).toBeRejectedWithError('unauthorized');
    });
  }

  it('signs in with the right password: an HttpOnly SameSite=Strict cookie for 12 hours, and the admin socket connects', async () => {
    await start();
    const before = Date.now();
    const res = await signIn(PASSWORD);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { signedIn: boolean; expiresAt: number };
    expect(body.signedIn).toBeTrue();
    expect(body.expiresAt).toBeGreaterThanOrEqual(before + TWELVE_HOURS_MS);
    expect(body.expiresAt).toBeLessThanOrEqual(Date.now() + TWELVE_HOURS_MS);
    const header = res.headers.getSetCookie().find((c) => c.startsWith('pb_admin='))!;
    expect(header).toMatch(/; HttpOnly/i);
    expect(header).toMatch(/; SameSite=Strict/i);
    expect(header).toMatch(/; Max-Age=4320\d/);
    expect(header).not.toMatch(/; Secure/i);
    const cookie = header.split(';')[0]!;
    const session = await call('GET', { cookie });
    expect(session.status).toBe(200);
    expect(((await session.json()) as { expiresAt: number }).expiresAt).toBe(body.expiresAt);
    const admin = await connectAdmin(cookie);
    const stats = await request<AdminStats>(admin as unknown as TestSocket, 'admin:stats', {});
    expect(stats).toEqual({
      ok: true,
      value: {
        photos: { visible: 0, pending: 0, hidden: 0 },
        guests: 0,
        walls: 0,
        uploadsOpen: 0,
        storage: jasmine.objectContaining({ full: false, usedBytes: 0 }),
        cluster: { redis: 'off', replicas: 1, partial: false },
      },
    });
  });

  it('pausing from the admin socket reaches a guest connected before and a guest connected after', async () => {
    await start();
    const early = await guest();
    expect((await settingsOf(early)).paused).toBeFalse();
    const told = new Promise<UploadSettings>((resolve) => early.once('settings:changed', resolve));
    const admin = await connectAdmin(await signedInCookie());
    const paused = await request<AdminStateDto>(admin as unknown as TestSocket, 'admin:pause', { message: 'Speeches now' });
    expect(paused.ok && paused.value.uploads).toEqual({ paused: true, pauseMessage: 'Speeches now', approvalRequired: false });
    expect(await told).toEqual(jasmine.objectContaining({ paused: true, pauseMessage: 'Speeches now' }));
    const late = await guest();
    expect(await settingsOf(late)).toEqual(jasmine.objectContaining({ paused: true, pauseMessage: 'Speeches now' }));
    const resumed = await request<AdminStateDto>(admin as unknown as TestSocket, 'admin:resume', {});
    expect(resumed.ok && resumed.value.uploads.paused).toBeFalse();
  });

  it('moderates from the admin socket: pre-approval holds a photo off the wall until approved, then block and remove', async () => {
    await start();
    const admin = (await connectAdmin(await signedInCookie())) as unknown as TestSocket;
    const approval = await request<AdminStateDto>(admin, 'admin:approval', { required: true });
    expect(approval.ok && approval.value.uploads.approvalRequired).toBeTrue();
    const wall = await guest();
    await request(wall, 'wall:join', { sinceSeq: null });
    let added = 0;
    wall.on('photo:added', () => added++);
    const uploader = await guest();
    const uploaded = await uploadFile(uploader, await noisyJpeg(160, 120));
    if (!uploaded.ok) throw new Error(uploaded.error.code);
    const shown = new Promise<PhotoDto>((resolve) => wall.once('photo:updated', resolve));
    const approved = await request<AdminPhotoDto>(admin, 'admin:moderate', { id: uploaded.value.id, state: 'visible' });
    expect(approved.ok && approved.value.guest).withContext('the first guest to upload').toBe(1);
    expect(approved.ok && approved.value.state).toBe('visible');
    expect((await shown).id).toBe(uploaded.value.id);
    expect(added).withContext('never as photo:added while pending').toBe(0);
    const blocked = await request<{ hidden: number }>(admin, 'admin:block', { id: uploaded.value.id, hide: true });
    expect(blocked).toEqual({ ok: true, value: { hidden: 1 } });
    const refused = await request(uploader, 'upload:begin', { clientUploadId: 'blocked-by-admin', name: 'a.jpg', size: 1000, type: 'image/jpeg' });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('GUEST_BLOCKED');
    expect(await request(admin, 'admin:remove', { id: uploaded.value.id })).toEqual({ ok: true, value: null });
    expect((await server!.store.getPhoto(uploaded.value.id))?.state).toBe('removed');
    expect((await request(admin, 'admin:moderate', { id: uploaded.value.id, state: 'removed' })).ok).toBeFalse();
  });

  it('disconnects the admin socket at its next event once its session was signed out elsewhere', async () => {
    await start();
    const cookie = await signedInCookie();
    const admin = await connectAdmin(cookie);
    const out = await call('DELETE', { cookie });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().some((c) => /^pb_admin=;.*Max-Age=0/i.test(c))).toBeTrue();
    expect((await call('GET', { cookie })).status).toBe(401);
    const gone = new Promise<string>((resolve) => admin.once('disconnect', resolve));
    admin.emit('admin:stats', {}, () => fail('a signed-out session was answered'));
    expect(await gone).toBe('io server disconnect');
  });

  it('disconnects the admin socket at its next event once its session expired', async () => {
    await start();
    const admin = await connectAdmin(await signedInCookie());
    clockOffsetMs = TWELVE_HOURS_MS + 1000;
    const gone = new Promise<string>((resolve) => admin.once('disconnect', resolve));
    admin.emit('admin:resume', {}, () => fail('an expired session was answered'));
    expect(await gone).toBe('io server disconnect');
  });

  it('locks an IP out after N wrong passwords: even the right one gets 429 with Retry-After until the lockout passes', async () => {
    await start({ ...ROOMY, perIp: { failures: 3, windowSeconds: 60, lockoutSeconds: 1 } });
    for (let i = 0; i < 3; i++) expect((await signIn('wrong password ' + i)).status).toBe(401);
    const locked = await signIn(PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('1');
    expect(locked.headers.getSetCookie()).toEqual([]);
    await sleep(1100);
    expect((await signIn(PASSWORD)).status).toBe(200);
  });

  it('counts failures from all IPs towards an overall lockout, and holds each failure back longer than the last', async () => {
    const limiter = new SignInLimiter({
      perIp: { failures: 10, windowSeconds: 60, lockoutSeconds: 60 },
      overall: { failures: 3, windowSeconds: 60, lockoutSeconds: 60 },
      delayMs: 100,
      maxDelayMs: 250,
    });
    expect(await limiter.failed('192.0.2.1')).toBe(100);
    expect(await limiter.failed('192.0.2.1')).toBe(200);
    expect(await limiter.retryAfterMs('192.0.2.3')).toBe(0);
    expect(await limiter.failed('192.0.2.2')).toBe(100);
    expect(await limiter.retryAfterMs('192.0.2.3')).toBeGreaterThan(59_000);
    expect(await limiter.failed('192.0.2.1')).toBe(250);
  });

  it('refuses a sign-in or sign-out from a foreign Origin or with no Origin at all', async () => {
    await start();
    for (const origin of ['https://evil.example', 'null', null]) {
      const res = await signIn(PASSWORD, origin);
      expect(res.status).withContext(String(origin)).toBe(403);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    const cookie = await signedInCookie();
    expect((await call('DELETE', { cookie, origin: 'https://evil.example' })).status).toBe(403);
    expect((await call('GET', { cookie })).status).toBe(200);
  });

  it('stores a generated password only as an scrypt hash that verifies it, and ADMIN_PASSWORD replaces it', async () => {
    embeddedOnly('reads every file in DATA_DIR');
    const { store, dataDir } = await start(ROOMY, null);
    expect(await store.readAdminSecret()).toBeNull();
    const generated = await prepareAdminPassword(store, null);
    expect(generated).toMatch(/^[2-9a-hjkmnp-z]{4}(-[2-9a-hjkmnp-z]{4}){3}$/);
    const stored = await store.readAdminSecret();
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(stored).not.toContain(generated!);
    expect(stored).not.toContain(generated!.replaceAll('-', ''));
    expect(await verifyAdminPassword(generated!, stored)).toBeTrue();
    expect(await verifyAdminPassword(PASSWORD, stored)).toBeFalse();
    // Nowhere in the data directory either (database, WAL, anything else).
    for (const name of await fs.readdir(dataDir, { recursive: true })) {
      const file = path.join(dataDir, name);
      if ((await fs.stat(file)).isFile()) expect((await fs.readFile(file)).includes(generated!)).withContext(name).toBeFalse();
    }
    // A stored password stays at the next start; the server reads it at each sign-in.
    expect(await prepareAdminPassword(store, null)).toBeNull();
    expect((await signIn(generated!)).status).toBe(200);
    expect(await prepareAdminPassword(store, 'set-by-the-host-env')).toBeNull();
    expect(await verifyAdminPassword('set-by-the-host-env', await store.readAdminSecret())).toBeTrue();
    expect((await signIn(generated!)).status).toBe(401);
  });
});
