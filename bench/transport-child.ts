/**
 * The transport figure's two clients in a process of their own (forked by figures/transport.ts), so
 * neither pays for what earlier figures left in the bench process: measured, the socket client lost
 * a fifth of its throughput after upload-to-wall and the burst (0.46-0.55 against 0.60 alone).
 * Args: server URL, POST sink URL, rounds, the server's pid. Alternates one 20 MB upload over the
 * socket (begin, every chunk paced as the phone paces them, then an untimed abort) and one HTTP POST
 * of the same bytes, and notes the CPU each took on both sides: both run on this machine's cores.
 *
 *   child -> {type:'transport', bytes, socket: Round[], post: Round[]} then exits
 */
import { readFileSync } from 'node:fs';
import { abort, begin, connectGuest, sendChunks } from './lib/guest';
import { alternate } from './lib/alternate';
import { reportError, sendToParent } from './lib/child';
import { keepAliveAgent, postBody } from './lib/http';
import { junkJpeg } from './lib/images';

const SIZE = 20 * 1024 * 1024;
const [url, sink, roundsArg, serverPid] = process.argv.slice(2);

/** One transfer: its time, and the CPU (user + system, every thread) the server and this client spent. */
export interface Round {
  readonly ms: number;
  readonly serverCpuMs: number;
  readonly clientCpuMs: number;
}

/** The server's CPU so far (/proc/<pid>/stat utime + stime; clock ticks of 10 ms, so only sums mean much). */
function serverCpuMs(): number {
  const fields = readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function clientCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const rounds = { socket: [] as Round[], post: [] as Round[] };

async function measured(into: Round[], transfer: () => Promise<number>): Promise<number> {
  const server = serverCpuMs();
  const client = clientCpuMs();
  const ms = await transfer();
  into.push({ ms, serverCpuMs: serverCpuMs() - server, clientCpuMs: clientCpuMs() - client });
  return ms;
}

const file = junkJpeg(SIZE);
const agent = keepAliveAgent(1);
try {
  const guest = await connectGuest(url!);
  try {
    await alternate(
      Number(roundsArg),
      () =>
        measured(rounds.socket, async () => {
          const started = performance.now();
          const begun = await begin(guest, SIZE);
          await sendChunks(guest, begun, file);
          const ms = performance.now() - started;
          await abort(guest, begun.uploadId);
          return ms;
        }),
      () =>
        measured(rounds.post, async () => {
          const started = performance.now();
          await postBody(agent, sink!, file);
          return performance.now() - started;
        }),
    );
    // The warm-up pair is measured too: drop it.
    await sendToParent({ type: 'transport', bytes: SIZE, socket: rounds.socket.slice(1), post: rounds.post.slice(1) });
  } finally {
    guest.disconnect();
  }
} catch (e) {
  await reportError(e);
} finally {
  agent.destroy();
}
process.disconnect?.();
