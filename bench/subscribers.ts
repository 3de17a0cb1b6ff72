/**
 * Live subscribers in their own process (forked by the subscribers figure): `count` wall sockets to
 * one server (websocket transport only, no cookie: each gets a guest of its own), each joined to the
 * wall with wall:join {sinceSeq: null}. For every photo:added a socket receives, it notes Date.now()
 * minus the photo's createdAt (the server's Date.now() when it stored the photo: same machine, same
 * clock).
 *
 *   child -> {type:'ready', sockets}  once all are connected and joined
 *   parent -> {type:'collect', id, waitMs}  child -> {type:'received', latencies: number[]}
 *     once every socket got photo `id` or waitMs passed (one latency per socket that got it)
 *   parent -> {type:'stop'}
 */
import { io as connect } from 'socket.io-client';
import { sleep } from './lib/clock';
import { joinWall, type BenchSocket } from './lib/guest';
import type { Message } from './lib/processes';

const [url, countArg] = process.argv.slice(2);
const count = Number(countArg);
/** Handshakes in flight per process: a burst of thousands would time out on a 2-core machine. */
const AT_ONCE = 50;
const send = (message: Message) => process.send?.(message);
/** Photo id -> latency (receipt minus createdAt, ms) per socket that received it. */
const received = new Map<string, number[]>();
const sockets: BenchSocket[] = [];
let dropped = 0;

function subscriber(): Promise<BenchSocket> {
  const socket: BenchSocket = connect(url!, { forceNew: true, reconnection: false, transports: ['websocket'] });
  socket.on('photo:added', (photo) => {
    const at = Date.now();
    let latencies = received.get(photo.id);
    if (!latencies) received.set(photo.id, (latencies = []));
    latencies.push(at - photo.createdAt);
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      // A socket that drops after joining would silently lower the delivered count: say so.
      socket.once('disconnect', (reason) => {
        if (reason !== 'io client disconnect') dropped++;
      });
      joinWall(socket).then(() => resolve(socket), reject);
    });
    socket.once('connect_error', reject);
  });
}

try {
  for (let i = 0; i < count; i += AT_ONCE) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(AT_ONCE, count - i) }, subscriber))));
  }
  send({ type: 'ready', sockets: sockets.length });
} catch (e) {
  send({ type: 'error', message: String(e) });
}

async function collect(id: string, waitMs: number): Promise<void> {
  const deadline = performance.now() + waitMs;
  while ((received.get(id)?.length ?? 0) < sockets.length && performance.now() < deadline) await sleep(20);
  send({ type: 'received', latencies: received.get(id) ?? [], dropped });
  received.delete(id);
}

process.on('message', (m: Message) => {
  if (m.type === 'collect') void collect(String(m['id']), Number(m['waitMs']));
  else if (m.type === 'stop') {
    for (const s of sockets) s.disconnect();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
