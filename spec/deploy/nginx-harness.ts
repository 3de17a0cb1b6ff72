// Runs deploy/nginx/nginx.conf for real: a copy whose only changes are where it listens, where the two
// replicas are (two small HTTP servers here instead of app1:3000 and app2:3000) and temp folders a
// non-root user may write. Everything else (maps, cookie, hash, headers, timeouts) is the file as shipped.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, writeFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { readRepoFile, type Run } from './deploy-tools';

export const NGINX_CONF = 'deploy/nginx/nginx.conf';

/** A stand-in replica: answers with its name and the headers nginx sent; accepts WebSocket upgrades. */
export interface Replica {
  readonly name: string;
  readonly port: number;
  readonly seen: IncomingHttpHeaders[];
  close(): Promise<void>;
}

export async function startReplica(name: string): Promise<Replica> {
  const seen: IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ replica: name }));
    });
  });
  server.on('upgrade', (req, socket) => {
    seen.push(req.headers);
    socket.end(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Replica: ${name}\r\n\r\n`);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    name,
    port,
    seen,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Replaces `pattern` and insists it matched `times` times, so the copy never silently drifts. */
function replaceExactly(text: string, pattern: RegExp, times: number, by: (match: string, ...groups: string[]) => string): string {
  const all = new RegExp(pattern.source, `${pattern.flags}g`);
  const found = text.match(all)?.length ?? 0;
  if (found !== times) throw new Error(`${NGINX_CONF}: expected ${times} match(es) of ${pattern}, found ${found}`);
  return text.replace(all, by);
}

/**
 * The test copy in `dir`. `resolve` (nginx 1.27.3+, in the image) is dropped with the host names it
 * re-resolves: this machine's nginx may be older, and app1/app2 mean nothing here.
 */
export function testCopy(dir: string, listenPort: number, replicaPorts: Record<string, number>): string {
  let conf = readRepoFile(NGINX_CONF);
  conf = replaceExactly(conf, /listen 80 default_server;/, 1, () => `listen 127.0.0.1:${listenPort} default_server;`);
  conf = replaceExactly(conf, /server (app\d):3000 resolve/, 2, (_m, name) => {
    const port = replicaPorts[name!];
    if (port === undefined) throw new Error(`no stand-in for upstream server ${name}`);
    return `server 127.0.0.1:${port}`;
  });
  conf = replaceExactly(conf, /^http \{$/m, 1, () =>
    ['http {', `    client_body_temp_path ${path.join(dir, 'body')};`, `    proxy_temp_path ${path.join(dir, 'proxy')};`].join('\n'),
  );
  const file = path.join(dir, 'nginx.conf');
  writeFileSync(file, conf);
  // Run as root, nginx's workers drop to an unprivileged user that must reach the temp folders.
  chmodSync(dir, 0o755);
  return file;
}

/** nginx's own arguments for a copy in `dir`: its prefix, config, and pid and startup log it may write. */
const baseArgs = (dir: string, conf: string, extra: string) => ['-p', dir, '-c', conf, '-e', 'stderr', '-g', `pid ${path.join(dir, 'nginx.pid')};${extra}`];

/**
 * `nginx -t` on the copy. Its stdout is /dev/null: the config logs to /dev/stdout (the container's log),
 * which cannot be opened when stdout is the socket Node's execFile gives a child.
 */
export function nginxTest(bin: string, dir: string, conf: string): Promise<Run> {
  const child = spawn(bin, ['-t', ...baseArgs(dir, conf, '')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, stdout: '', stderr })));
}

export interface RunningNginx {
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts nginx in the foreground and waits until it accepts connections. */
export async function startNginx(bin: string, dir: string, conf: string, port: number): Promise<RunningNginx> {
  const child: ChildProcess = spawn(bin, baseArgs(dir, conf, ' daemon off;'), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited at start: ${stderr}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return { port, stop };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`nginx did not listen on ${port} within 5 s: ${stderr}`);
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export function request(port: number, options: { path?: string; method?: string; headers?: Record<string, string>; body?: Buffer }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = { host: '127.0.0.1', port, path: options.path ?? '/', method: options.method ?? 'GET', headers: options.headers, agent: false };
    const req = http.request(target, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A WebSocket opening handshake; resolves with the 101 response's headers (no frames are sent). */
export function upgrade(port: number, requestPath: string, headers: Record<string, string>): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: requestPath,
      agent: false,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.headers);
    });
    req.on('response', (res) => reject(new Error(`expected 101 Switching Protocols, got ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}
