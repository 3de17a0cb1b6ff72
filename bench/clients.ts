/**
 * Wall sockets in their own process (forked by the fan-out figure), so receiving does not share the
 * server's event loop. Args: server URL, socket count. Connects them all (websocket, forceNew),
 * joins each to the wall, then notes on the shared clock when each receives photo:added.
 *
 *   parent -> {type:'collect', id}  child -> {type:'received', times: number[]} once every socket got
 *   photo `id` or 10 s passed (one time per socket that got it)
 *   parent -> {type:'stop'}
 */
import { io as connect } from 'socket.io-client';
import { sleep, wallClock } from './lib/clock';
import { joinWall, type BenchSocket } from './lib/guest';
import type { Message } from './lib/processes';

const [url, countArg] = process.argv.slice(2);
const count = Number(countArg);
const send = (message: Message) => process.send?.(message);
/** Photo id -> receipt time per socket. */
const received = new Map<string, number[]>();
const sockets: BenchSocket[] = [];

function wallSocket(): Promise<BenchSocket> {
  const socket: BenchSocket = connect(url!, { forceNew: true, reconnection: false, transports: ['websocket'] });
  socket.on('photo:added', (photo) => {
    const at = wallClock();
    let times = received.get(photo.id);
    if (!times) received.set(photo.id, (times = []));
    times.push(at);
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => joinWall(socket).then(() => resolve(socket), reject));
    socket.once('connect_error', reject);
  });
}

try {
  // A few handshakes at a time: a burst of thousands would measure the handshake, not the broadcast.
  for (let i = 0; i < count; i += 50) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, wallSocket))));
  }
  send({ type: 'ready', sockets: sockets.length });
} catch (e) {
  send({ type: 'error', message: String(e) });
}

async function collect(id: string): Promise<void> {
  const deadline = performance.now() + 10_000;
  while ((received.get(id)?.length ?? 0) < sockets.length && performance.now() < deadline) await sleep(20);
  send({ type: 'received', times: received.get(id) ?? [] });
}

process.on('message', (m: Message) => {
  if (m.type === 'collect') void collect(String(m['id']));
  else if (m.type === 'stop') {
    for (const s of sockets) s.disconnect();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
