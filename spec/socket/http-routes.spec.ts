import http from 'node:http';
import type { JoinInfo } from '@photobook/shared';
import { startTestServer, type TestServer } from '../fixtures/server';

describe('the HTTP routes beside the socket', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => server.close());

  it('gives the wall an upload URL that phones can reach, never localhost', async () => {
    const port = new URL(server.url).port;
    const viaLoopback = (await (await fetch(`${server.url}/api/join`)).json()) as JoinInfo;
    expect(viaLoopback.uploadUrl).toBe(`http://192.0.2.10:${port}/upload`);
    const viaName = JSON.parse(await getWithHost(`${server.url}/api/join`, `party.lan:${port}`)) as JoinInfo;
    expect(viaName.uploadUrl).toBe(`http://party.lan:${port}/upload`);
  });

  it('draws the upload URL as an SVG QR code', async () => {
    const response = await fetch(`${server.url}/api/join/qr.svg`);
    expect(response.headers.get('content-type')).toContain('image/svg+xml');
    const svg = await response.text();
    expect(svg).toMatch(/^<svg[\s\S]*<path[\s\S]*<\/svg>\s*$/);
  });

  it('explains that the web app is not built instead of failing obscurely', async () => {
    const response = await fetch(`${server.url}/upload`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('answers unknown media keys with 404 and malformed ones or path tricks with 400, with nosniff on every answer', async () => {
    const expected: Record<string, number> = {
      '/media/abc.webp': 400,
      [`/media/${'a'.repeat(64)}.webp`]: 404,
      '/media/%2e%2e%2fcookie-secret': 400,
    };
    for (const [url, status] of Object.entries(expected)) {
      const response = await fetch(server.url + url);
      expect(response.status).withContext(url).toBe(status);
      expect(response.headers.get('x-content-type-options')).withContext(url).toBe('nosniff');
    }
  });

  it('reports health for load balancers', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
  });

  it('says ready while the store answers, and 503 with the reason once it does not', async () => {
    const ready = await fetch(`${server.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { ready: true }]);
    await server.store.close();
    const down = await fetch(`${server.url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ready: false, reason: 'The store does not answer.' });
    expect((await fetch(`${server.url}/healthz`)).status).withContext('alive all the same').toBe(200);
  });

  it('never answers a probe, a metrics scrape or an unknown API path with the web page', async () => {
    const metrics = await fetch(server.url + '/metrics');
    expect([metrics.status, metrics.headers.get('content-type')]).toEqual([200, 'text/plain; version=0.0.4; charset=utf-8']);
    expect(await metrics.text()).toContain('# TYPE photobook_uploads_begun_total counter');
    for (const url of ['/metrics/x', '/api', '/api/nothing-here', '/healthz/x', '/readyz/x']) {
      const response = await fetch(server.url + url);
      expect([response.status, response.headers.get('content-type')]).withContext(url).toEqual([404, 'text/plain; charset=utf-8']);
    }
    expect((await fetch(`${server.url}/some/page`)).status).withContext('other paths still get the page (not built here)').toBe(503);
  });
});

/** fetch() will not send a custom Host header, so this one uses node:http. */
function getWithHost(url: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { host } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}
