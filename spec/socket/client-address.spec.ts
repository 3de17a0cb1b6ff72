/**
 * TRUST_PROXY and the per-address share of partial uploads: behind a proxy every guest arrives from
 * the proxy's address, so X-Forwarded-For names the guest, but only when the proxy is trusted.
 */
import { ErrorCode, type Result } from '@photobook/shared';
import { signInAsAdmin } from '../fixtures/admin';
import { connectClient, guestCookie, request, startTestServer, type TestServer, type TestSocket } from '../fixtures/server';

const MB = 1024 * 1024;
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

describe('client addresses (UP20, TRUST_PROXY)', () => {
  let server: TestServer;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });

  async function guestFrom(forwardedFor: string | null): Promise<TestSocket> {
    const headers: Record<string, string> = { cookie: guestCookie().cookie };
    if (forwardedFor !== null) headers['x-forwarded-for'] = forwardedFor;
    const socket = await connectClient(server.url, headers);
    sockets.push(socket);
    return socket;
  }

  const begin = (socket: TestSocket, id: string) =>
    request(socket, 'upload:begin', { clientUploadId: `address-${id}-xx`, name: 'a.jpg', size: MB, type: 'image/jpeg' });

  describe('behind a trusted proxy (TRUST_PROXY=loopback), with 2 MB a address and 10 MB in all', () => {
    beforeEach(async () => {
      server = await startTestServer({ config: { trustProxy: ['loopback'], partialUploadsPerAddressBytes: 2 * MB, partialUploadsMaxBytes: 10 * MB } });
    });

    it('lets one address hold its share of partial uploads and no more, while another address still gets in', async () => {
      const replies: string[] = [];
      for (let i = 0; i < 3; i++) replies.push(code(await begin(await guestFrom('203.0.113.7'), `a${i}`)));
      expect(replies).toEqual(['ok', 'ok', ErrorCode.ServerBusy]);
      expect(code(await begin(await guestFrom('198.51.100.4'), 'b0'))).withContext('another address').toBe('ok');
      // The proxy appends the address it saw; the guest's own entries to its left are not believed.
      expect(code(await begin(await guestFrom('198.51.100.99, 203.0.113.7'), 'a-spoof'))).withContext('the rightmost untrusted hop counts').toBe(ErrorCode.ServerBusy);
    });

    it('locks out the forwarded address for wrong admin passwords, not the proxy and so not everyone', async () => {
      await server.close();
      server = await startTestServer({
        config: { trustProxy: ['loopback'] },
        adminPassword: 'the right password!',
        signInLimits: { perIp: { failures: 2, windowSeconds: 60, lockoutSeconds: 60 }, overall: { failures: 100, windowSeconds: 60, lockoutSeconds: 60 }, delayMs: 1, maxDelayMs: 1 },
      });
      const post = (forwardedFor: string, password: string) =>
        fetch(server.url + '/api/admin/session', {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: server.url, 'x-forwarded-for': forwardedFor },
          body: JSON.stringify({ password }),
        }).then((r) => r.status);
      expect([await post('203.0.113.7', 'wrong one'), await post('203.0.113.7', 'wrong two')]).toEqual([401, 401]);
      expect(await post('203.0.113.7', 'the right password!')).withContext('the guesser is locked out').toBe(429);
      expect(await post('198.51.100.4', 'the right password!')).withContext('the host on another address is not').toBe(200);
      expect(await signInAsAdmin(server.url, 'the right password!')).toMatch(/^pb_admin=/);
    });
  });

  describe('with no trusted proxy (the default)', () => {
    beforeEach(async () => {
      server = await startTestServer({ config: { partialUploadsPerAddressBytes: 2 * MB, partialUploadsMaxBytes: 10 * MB } });
    });

    it('ignores X-Forwarded-For: a guest cannot claim a fresh address to get more room', async () => {
      const replies: string[] = [];
      for (let i = 0; i < 3; i++) replies.push(code(await begin(await guestFrom(`203.0.113.${i + 1}`), `c${i}`)));
      expect(replies).toEqual(['ok', 'ok', ErrorCode.ServerBusy]);
    });
  });
});
