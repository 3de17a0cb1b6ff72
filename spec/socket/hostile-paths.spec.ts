/**
 * A corpus of hostile request paths sent with node:http (fetch would normalise them) to a real server
 * that serves a built client from a temporary directory and holds one real photo. Every case checks,
 * for GET and for HEAD: its status; that a 4xx answer is text/plain and keeps the security headers;
 * and that the logger got no error line and no stack: bad input is the client's fault, not ours.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { Logger } from '../../server/errors';
import { errorHandler } from '../../server/http/bad-request';
import { solidPng } from '../fixtures/images';
import { connectClient, startTestServer, uploadFile, type TestServer } from '../fixtures/server';

type PathClass =
  | 'bad %-sequence'
  | 'NUL byte'
  | 'traversal'
  | 'encoded separator'
  | 'double encoding'
  | 'not a media key'
  | 'overlong path'
  | 'unicode'
  | 'bad query string'
  | 'control';

interface PathCase {
  readonly class: PathClass;
  readonly what: string;
  /** As sent on the wire. {key} is the real photo's thumbnail key, {KEY} the same in upper case. */
  readonly path: string;
  readonly status: number;
}

const ABSENT_KEY = `${'0'.repeat(64)}.webp`;
const LONG = 'a'.repeat(10 * 1024);

const CASES: readonly PathCase[] = [
  { class: 'bad %-sequence', what: 'a lone % as a media key', path: '/media/%', status: 400 },
  { class: 'bad %-sequence', what: 'a truncated UTF-8 sequence in a media key', path: '/media/%E0%A4%A', status: 400 },
  { class: 'bad %-sequence', what: 'non-hex digits after % in a media key', path: '/media/%zz', status: 400 },
  { class: 'bad %-sequence', what: 'an overlong UTF-8 slash in a media key', path: '/media/%C0%AF', status: 400 },
  { class: 'bad %-sequence', what: 'a bad sequence on the upper-case /MEDIA route', path: '/MEDIA/%zz', status: 400 },
  { class: 'bad %-sequence', what: 'a stray continuation byte under /api/join', path: '/api/join/%ff', status: 400 },
  { class: 'bad %-sequence', what: 'a truncated sequence under /api', path: '/api/%E0%A4%A', status: 400 },
  { class: 'bad %-sequence', what: 'a bad sequence on the app shell', path: '/%zz', status: 400 },
  { class: 'bad %-sequence', what: 'an overlong UTF-8 slash after an app route', path: '/upload/%C0%AF', status: 400 },
  { class: 'bad %-sequence', what: 'a bad sequence after a static file name', path: '/main-ABCDEFGH.js%zz', status: 400 },
  { class: 'NUL byte', what: 'an encoded NUL as a media key', path: '/media/%00', status: 400 },
  { class: 'NUL byte', what: 'an encoded NUL after a real media key', path: '/media/{key}%00', status: 400 },
  { class: 'NUL byte', what: 'an encoded NUL in an /api path', path: '/api/join%00', status: 400 },
  { class: 'NUL byte', what: 'an encoded NUL after a static file name', path: '/index.html%00.js', status: 400 },
  { class: 'traversal', what: 'an encoded ../ out of /media', path: '/media/%2e%2e%2fcookie-secret', status: 400 },
  { class: 'traversal', what: 'a raw ../ out of /media', path: '/media/../healthz', status: 400 },
  { class: 'traversal', what: 'mixed-case encoded dots under /api', path: '/api/%2E%2e/healthz', status: 400 },
  { class: 'traversal', what: 'encoded dot segments up to /etc/passwd', path: '/%2e%2e/%2e%2e/etc/passwd', status: 400 },
  { class: 'traversal', what: 'a single dot segment before a static file', path: '/./index.html', status: 400 },
  { class: 'encoded separator', what: 'an encoded slash as a media key', path: '/media/%2f', status: 400 },
  { class: 'encoded separator', what: 'an encoded backslash as a media key', path: '/media/%5c', status: 400 },
  { class: 'encoded separator', what: 'an encoded slash inside an /api path', path: '/api/join%2Fqr.svg', status: 400 },
  { class: 'encoded separator', what: 'raw backslashes under /media', path: '/media/..\\..\\cookie-secret', status: 400 },
  { class: 'encoded separator', what: 'an encoded slash on the app shell', path: '/upload%2f..%2f', status: 400 },
  { class: 'double encoding', what: 'a double-encoded ../ under /media', path: '/media/%252e%252e%252fcookie-secret', status: 400 },
  // Well-formed: it decodes once to a literal "%2e%2e%2f", and nothing decodes it a second time.
  { class: 'double encoding', what: 'a double-encoded ../ under /api, an unknown path', path: '/api/%252e%252e%252fhealthz', status: 404 },
  { class: 'not a media key', what: 'the real key in upper-case hex', path: '/media/{KEY}', status: 400 },
  { class: 'not a media key', what: 'the real key with an extra extension', path: '/media/{key}.jpg', status: 400 },
  { class: 'not a media key', what: 'the real key with a trailing slash', path: '/media/{key}/', status: 400 },
  { class: 'not a media key', what: 'the real key percent-encoded', path: '/media/%{hex}', status: 400 },
  { class: 'not a media key', what: 'a short key', path: '/media/abc.webp', status: 400 },
  { class: 'not a media key', what: 'a key with an image type we never store', path: `/media/${'0'.repeat(64)}.png`, status: 400 },
  { class: 'not a media key', what: 'an empty media key', path: '/media/', status: 400 },
  { class: 'overlong path', what: 'a 10 KB media path', path: `/media/${LONG}`, status: 400 },
  { class: 'overlong path', what: 'a 10 KB /api path', path: `/api/${LONG}`, status: 400 },
  { class: 'overlong path', what: 'a 10 KB app-shell path', path: `/${LONG}`, status: 400 },
  { class: 'unicode', what: 'an encoded check mark as a media key', path: '/media/%E2%9C%93.webp', status: 400 },
  { class: 'unicode', what: 'an encoded check mark under /api, an unknown path', path: '/api/%E2%9C%93', status: 404 },
  { class: 'unicode', what: 'an encoded check mark on the app shell', path: '/%E2%9C%93', status: 200 },
  { class: 'bad query string', what: 'a bad query string on /healthz', path: '/healthz?%zz', status: 200 },
  { class: 'bad query string', what: 'bad sequences and NUL in the query of /api/join', path: '/api/join?x=%E0%A4%A&%00', status: 200 },
  { class: 'bad query string', what: 'a bad query string on a real media key', path: '/media/{key}?v=%zz', status: 200 },
  { class: 'bad query string', what: 'a bad query string on an absent media key', path: `/media/${ABSENT_KEY}?v=%`, status: 404 },
  { class: 'bad query string', what: 'an overlong UTF-8 slash in the query of the app shell', path: '/upload?%C0%AF', status: 200 },
  { class: 'control', what: 'the health check', path: '/healthz', status: 200 },
  { class: 'control', what: 'the real photo', path: '/media/{key}', status: 200 },
  { class: 'control', what: 'a well-formed key no photo has', path: `/media/${ABSENT_KEY}`, status: 404 },
  { class: 'control', what: 'a well-formed unknown /api path', path: '/api/nothing-here', status: 404 },
  { class: 'control', what: 'a hashed static bundle', path: '/main-ABCDEFGH.js', status: 200 },
  { class: 'control', what: 'an app route', path: '/upload', status: 200 },
];

/** A stack trace in a log line, raw or JSON-escaped (fields are logged as JSON). */
const STACK = /stack|(\n|\\n)\s+at /;

interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly text: string;
}

function recordingLogger(lines: LogLine[]): Logger {
  const record = (level: LogLine['level']) => (message: string, fields: Record<string, unknown> = {}) =>
    lines.push({ level, text: `${message} ${JSON.stringify(fields)}` });
  return { info: record('info'), warn: record('warn'), error: record('error') };
}

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
}

/** node:http sends `rawPath` byte for byte: no normalising, no re-encoding. */
function send(url: string, method: 'GET' | 'HEAD', rawPath: string): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    http
      .request({ hostname, port, method, path: rawPath, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
      })
      .on('error', reject)
      .end();
  });
}

describe('hostile request paths (a corpus run against a real server)', () => {
  let server: TestServer;
  let staticDir: string;
  let key: string;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    staticDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-static-'));
    await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Photobook</title>');
    await fs.writeFile(path.join(staticDir, 'main-ABCDEFGH.js'), 'console.log("app");');
    server = await startTestServer({ config: { staticDir }, logger: recordingLogger(lines) });
    const guest = await connectClient(server.url);
    const uploaded = await uploadFile(guest, await solidPng(32, 24));
    guest.disconnect();
    if (!uploaded.ok) throw new Error(`the control photo did not upload: ${uploaded.error.code}`);
    key = uploaded.value.thumbUrl.slice('/media/'.length);
  });

  afterAll(async () => {
    await server.close();
    await fs.rm(staticDir, { recursive: true, force: true });
  });

  it('has at least 40 cases with distinct names, and every class of hostile path', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.what)).size).toBe(CASES.length);
    expect(new Set(CASES.map((c) => c.class)).size).toBe(10);
  });

  for (const c of CASES) {
    it(`answers ${c.status} to ${c.what} (${c.class}), and logs no error or stack`, async () => {
      const hex = [...Buffer.from(key)].map((b) => b.toString(16)).join('%');
      const rawPath = c.path.replace('{key}', key).replace('{KEY}', key.toUpperCase()).replace('{hex}', hex);
      for (const method of ['GET', 'HEAD'] as const) {
        const context = `${method} ${rawPath.slice(0, 80)}`;
        const logged = lines.length;
        const answer = await send(server.url, method, rawPath);
        expect(answer.status).withContext(context).toBe(c.status);
        expect(answer.headers['x-content-type-options']).withContext(context).toBe('nosniff');
        expect(answer.headers['content-security-policy']).withContext(context).toContain("default-src 'self'");
        if (c.status >= 400) expect(answer.headers['content-type']).withContext(context).toMatch(/^text\/plain\b/);
        const since = lines.slice(logged);
        expect(since.filter((l) => l.level === 'error')).withContext(context).toEqual([]);
        expect(since.filter((l) => STACK.test(l.text))).withContext(context).toEqual([]);
      }
    });
  }

  it('leaves raw non-ASCII bytes to Node, whose parser answers 400 before express runs', async () => {
    const { hostname, port } = new URL(server.url);
    const request = Buffer.concat([Buffer.from('GET /media/'), Buffer.from('✓', 'utf8'), Buffer.from(' HTTP/1.1\r\nHost: a\r\n\r\n')]);
    const logged = lines.length;
    const reply = await new Promise<string>((resolve, reject) => {
      let text = '';
      const socket = net.connect(Number(port), hostname, () => socket.end(request));
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(reply.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(lines.slice(logged)).toEqual([]);
  });
});

describe('the last error handler, behind the path check', () => {
  const lines: LogLine[] = [];
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    // Without the path check in front, the router's own decoding error reaches the handler.
    const app = express();
    app.get('/p/:param', (_req, res) => void res.send('unreachable'));
    app.get('/ours', () => {
      throw new Error('a bug of ours');
    });
    app.use(errorHandler(recordingLogger(lines)));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => void (lines.length = 0));

  it("keeps the 400 of the router's URIError and logs one warn line without a stack", async () => {
    const answer = await send(url, 'GET', '/p/%E0%A4%A');
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^text\/plain\b/);
    expect(lines.map((l) => l.level)).toEqual(['warn']);
    expect(lines[0]!.text).not.toMatch(STACK);
  });

  it('answers a failure of ours with 500 and logs it as an error with its stack', async () => {
    const answer = await send(url, 'GET', '/ours');
    expect(answer.status).toBe(500);
    expect(lines.map((l) => l.level)).toEqual(['error']);
    expect(lines[0]!.text).toContain('a bug of ours\\n    at ');
  });
});
