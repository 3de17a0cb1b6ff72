/**
 * Light pages: the web app's assets leave the server precompressed (brotli, else gzip, else as
 * built), with Content-Encoding and Vary, and the page and other text answers are compressed per
 * request.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
// @ts-expect-error a build script in plain JavaScript, without types
import { precompress } from '../../scripts/precompress.mjs';
import { startTestServer, type TestServer } from '../fixtures/server';

function get(url: string, encoding: string | null): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = encoding === null ? {} : { 'accept-encoding': encoding };
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

const decode = (encoding: string | undefined, body: Buffer) =>
  encoding === 'br' ? zlib.brotliDecompressSync(body) : encoding === 'gzip' ? zlib.gunzipSync(body) : body;

describe('compressed pages', () => {
  let dir: string;
  let server: TestServer;
  const script = Buffer.from(Array.from({ length: 2_000 }, (_, i) => `export const value${i} = "photobook ${i % 7}";`).join('\n'));

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-static-'));
    await fs.writeFile(path.join(dir, 'main-ABCD1234.js'), script);
    await fs.writeFile(path.join(dir, 'index.html'), `<!doctype html><title>Photobook</title>${'<p>a guest page</p>'.repeat(200)}`);
    expect(await precompress(dir)).toBe(2);
    server = await startTestServer({ config: { staticDir: dir } });
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  for (const [accepts, expected] of [['br, gzip, deflate', 'br'], ['gzip, deflate', 'gzip'], [null, undefined]] as const) {
    it(`sends a script ${expected ?? 'as built'} to a browser that accepts ${accepts ?? 'nothing'}, cached for good and varying by encoding`, async () => {
      const res = await get(`${server.url}/main-ABCD1234.js`, accepts);
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(expected);
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers['vary']).toMatch(/Accept-Encoding/i);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      if (expected) expect(res.body.length).toBeLessThan(script.length / 3);
      expect(decode(res.headers['content-encoding'], res.body).equals(script)).withContext('the bytes as built').toBeTrue();
    });
  }

  it('compresses the page itself and text answers per request', async () => {
    const page = await get(`${server.url}/upload`, 'gzip, deflate, br');
    expect(page.status).toBe(200);
    expect(['br', 'gzip']).toContain(page.headers['content-encoding']!);
    expect(decode(page.headers['content-encoding'], page.body).toString()).toContain('<title>Photobook</title>');
    const metrics = await get(`${server.url}/metrics`, 'gzip');
    expect(metrics.headers['content-encoding']).toBe('gzip');
  });

  it('builds the real web app with a brotli and a gzip copy of every script', async () => {
    const built = path.resolve('dist/client/browser');
    if (!existsSync(built)) {
      if (process.env['CI'] === 'true') fail('dist/client/browser is missing: npm test builds it first');
      else pending('SKIPPED: the web app is not built here (npm run build:client)');
      return;
    }
    const scripts = (await fs.readdir(built)).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) {
      const size = (await fs.stat(path.join(built, file))).size;
      if (size < 1024) continue;
      expect(existsSync(path.join(built, `${file}.br`))).withContext(`${file}.br`).toBeTrue();
      expect(existsSync(path.join(built, `${file}.gz`))).withContext(`${file}.gz`).toBeTrue();
    }
  });
});
