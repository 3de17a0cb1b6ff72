/**
 * How exact the party-wifi figure's link is (bench/lib/throttle-proxy.ts), measured on raw TCP into a
 * sink that counts: `node --import tsx bench/throttle-check.ts` (about 26 s). It prints, for each
 * case, the rate the sink saw per connection beside the rate the buckets promise, and the CPU this
 * process (proxy, senders and sink together) spent per second.
 *
 *  - one connection alone sends 4 MB: its own bucket binds (2 Mbit/s: 16 s);
 *  - 10 connections send 1 MB each at once: 10 x 2 = 20 Mbit/s, both buckets at their limit;
 *  - 15 connections send 1 MB each at once: the shared bucket binds (20/15 = 1.33 Mbit/s each).
 */
import net from 'node:net';
import { ThrottleProxy } from '../spec/fixtures/throttle-proxy';

const PER_GUEST = 2e6;
const SHARED = 20e6;

/** A server that reads and counts the bytes it got; it closes a connection once the sender has. */
async function sink(): Promise<{ port: number; received(): number; close(): void }> {
  let received = 0;
  const server = net.createServer((socket) => {
    socket.on('data', (b: Buffer) => (received += b.length));
    socket.on('end', () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, received: () => received, close: () => server.close() };
}

/** Sends `bytes` through the proxy; resolves with seconds from the first write to the sink's close. */
function send(url: string, bytes: number): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: Number(port) }, () => {
      const started = performance.now();
      socket.end(Buffer.alloc(bytes, 7));
      socket.on('close', () => resolve((performance.now() - started) / 1000));
    });
    socket.on('error', reject);
    socket.resume();
  });
}

async function check(label: string, connections: number, bytes: number, expectedBps: number): Promise<void> {
  const target = await sink();
  const proxy = await ThrottleProxy.start({ targetPort: target.port, perConnectionBps: PER_GUEST, sharedBps: SHARED });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const seconds = await Promise.all(Array.from({ length: connections }, () => send(proxy.url, bytes)));
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await proxy.close();
  target.close();
  if (target.received() !== connections * bytes) throw new Error(`${label}: the sink got ${target.received()} of ${connections * bytes} bytes`);
  const rates = seconds.map((s) => (bytes * 8) / s / 1e6);
  const expected = expectedBps / 1e6;
  const slowest = Math.min(...rates);
  const fastest = Math.max(...rates);
  console.log(
    `${label}: ${connections} x ${(bytes / 1e6).toFixed(1)} MB in ${wall.toFixed(2)} s; per connection ` +
      `${slowest.toFixed(3)}–${fastest.toFixed(3)} Mbit/s (promised ${expected.toFixed(3)}, ` +
      `${((slowest / expected - 1) * 100).toFixed(1)} % to ${((fastest / expected - 1) * 100).toFixed(1)} %); ` +
      `CPU of this process (proxy, senders, sink) ${(((used.user + used.system) / 1000 / (wall * 1000)) * 100).toFixed(1)} % of a core`,
  );
}

await check('alone', 1, 4e6, PER_GUEST);
await check('ten at once', 10, 1e6, PER_GUEST);
await check('fifteen at once', 15, 1e6, SHARED / 15);
