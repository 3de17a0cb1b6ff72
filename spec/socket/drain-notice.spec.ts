/** SIGTERM's drain, readiness first (DRAIN_NOTICE_SECONDS): the replica says it is leaving before it refuses anyone. */
import { beginUpload, connectClient, guestCookie, startTestServer, type TestServer } from '../fixtures/server';

describe('a replica told to stop, with a drain notice', () => {
  const NOTICE_MS = 1500;
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer({ config: { drainNoticeMs: NOTICE_MS } });
  });
  afterEach(async () => server.close());

  it('answers /readyz 503 at once, takes new guests and uploads during the notice, then no new connection', async () => {
    const before = await connectClient(server.url, { cookie: guestCookie().cookie });
    const drained = server.app.drain();
    const started = Date.now();
    try {
      const probe = await fetch(`${server.url}/readyz`);
      expect([probe.status, await probe.json()]).toEqual([503, { ready: false, reason: 'This replica is shutting down.' }]);
      expect((await fetch(`${server.url}/healthz`)).status).withContext('alive all the same').toBe(200);

      // A balancer may still send someone during the notice: they are served as before.
      const late = await connectClient(server.url, { cookie: guestCookie().cookie });
      expect(await beginUpload(late, 'notice-upload-1', 1000)).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(Date.now() - started).withContext('all of that within the notice').toBeLessThan(NOTICE_MS);
      late.disconnect();

      await drained;
      expect(Date.now() - started).toBeGreaterThanOrEqual(NOTICE_MS - 50);
      // After the notice no connection is taken (upload requests get SERVER_BUSY: spec/replicas/drain.spec.ts),
      // and the pages connected before are told to reconnect elsewhere.
      const gone = await Promise.race([
        new Promise<string>((resolve) => (before.connected ? before.once('disconnect', (reason) => resolve(reason)) : resolve('already'))),
        new Promise<string>((resolve) => setTimeout(() => resolve('still connected after 2 s'), 2000)),
      ]);
      expect(gone).toBe('transport close');
      await expectAsync(connectClient(server.url, { cookie: guestCookie().cookie })).toBeRejected();
    } finally {
      before.disconnect();
    }
  });
});
