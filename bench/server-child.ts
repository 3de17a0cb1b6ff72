/**
 * The server under test in its own process (forked by bench/lib/processes.ts), so the bench's
 * clients do not share its event loop and its RSS is its own. Also hosts the baselines that must
 * run under the same conditions: a plain node:http POST sink and express.static. With STORE=mongo
 * in its environment the fixture opens the MongoDB store on a FerretDB of this process's own, which
 * the fixture SIGKILLs on 'exit' (shutdown ends in process.exit), or when this process dies.
 */
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import express from 'express';
import { TEST_CONFIG, startTestServer, type TestServer } from '../spec/fixtures/server';
import { wallClock } from './lib/clock';
import type { Message, ServerChildOptions } from './lib/processes';
import { seedPhotos } from './lib/seed';

const options = JSON.parse(process.argv[2] ?? '{}') as ServerChildOptions;
const send = (message: Message) => process.send?.(message);
const closers: Array<() => Promise<void>> = [];

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    closers.push(() => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }));
  });
}

/** Streams each request body to a file in a temp dir, answers 200 once it is written. */
async function postBaseline(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'photobook-bench-post-'));
  closers.push(() => rm(dir, { recursive: true, force: true }));
  let n = 0;
  const server = http.createServer((req, res) => {
    const file = path.join(dir, `upload-${++n}`);
    pipeline(req, fs.createWriteStream(file)).then(
      () => {
        res.end('ok');
        fs.unlink(file, () => undefined);
      },
      () => res.writeHead(500).end(),
    );
  });
  return listen(server);
}

function staticBaseline(dir: string): Promise<string> {
  const app = express();
  app.use(express.static(dir));
  return listen(http.createServer(app));
}

/** For the bench's notes: the fixture already picked (and announced) the target, so this asks nothing new. */
async function storeLabel(test: TestServer): Promise<string> {
  if (test.storeKind === 'embedded') return 'embedded (SQLite + files)';
  const { mongoTarget } = await import('../spec/fixtures/mongo-server');
  const target = await mongoTarget();
  return target ? target.label : 'no MongoDB-wire server';
}

const server = await startTestServer({
  ...(options.dataDir ? { dataDir: options.dataDir } : {}),
  config: {
    ...(options.staticDir ? { staticDir: options.staticDir } : {}),
    // Every bench guest comes from 127.0.0.1: one address may hold what all may (50 x 20 MB in the memory figure).
    partialUploadsPerAddressBytes: TEST_CONFIG.partialUploadsMaxBytes,
  },
});
closers.unshift(() => server.close());
if (options.seedPhotos) await seedPhotos(server.store, options.seedPhotos);

if (options.traceBroadcast) {
  // The instant the notifier hands photo:added to Socket.IO, before it is encoded and written out.
  const adapter = server.app.io.of('/').adapter;
  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, opts) => {
    const data = (packet as { data?: unknown[] }).data;
    if (data?.[0] === 'photo:added') send({ type: 'broadcast', at: wallClock(), id: (data[1] as { id: string }).id });
    broadcast(packet, opts);
  };
}

process.on('message', (m: Message) => {
  const reply = (work: Promise<string>) =>
    work.then((url) => send({ type: m.type, url }), (e: unknown) => send({ type: 'error', message: String(e) }));
  if (m.type === 'post-baseline') reply(postBaseline());
  else if (m.type === 'static-baseline') reply(staticBaseline(String(m['dir'])));
  else if (m.type === 'stop') void shutdown();
});

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const close of closers) await close().catch(() => undefined);
  process.exit(0);
}
// The bench went away without saying stop: clean up and do not linger.
process.on('disconnect', () => void shutdown());

send({ type: 'ready', url: server.url, pid: process.pid, storeLabel: await storeLabel(server) });
