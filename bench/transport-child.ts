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
import { abort, begin, connectGuest, sendChunks } from './lib/guest';
import { alternate } from './lib/alternate';
import { ownCpuMs, processCpuMs, type Round } from './lib/cpu';
import { reportError, sendToParent } from './lib/child';
import { keepAliveAgent, postBody } from './lib/http';
import { junkJpeg } from './lib/images';

const SIZE = 20 * 1024 * 1024;
const [url, sink, roundsArg, serverPid] = process.argv.slice(2);

const rounds = { socket: [] as Round[], post: [] as Round[] };

/** Times one transfer and the CPU both sides spent on it; `after` (untimed, uncounted) runs once it is done. */
async function measured(into: Round[], transfer: () => Promise<void>, after?: () => Promise<unknown>): Promise<number> {
  const server = processCpuMs(Number(serverPid));
  const client = ownCpuMs();
  const started = performance.now();
  await transfer();
  const ms = performance.now() - started;
  into.push({ ms, serverCpuMs: processCpuMs(Number(serverPid)) - server, clientCpuMs: ownCpuMs() - client });
  await after?.();
  return ms;
}

const file = junkJpeg(SIZE);
const agent = keepAliveAgent(1);
try {
  const guest = await connectGuest(url!);
  try {
    await alternate(
      Number(roundsArg),
      async () => {
        let uploadId = '';
        return measured(
          rounds.socket,
          async () => {
            const begun = await begin(guest, SIZE);
            uploadId = begun.uploadId;
            await sendChunks(guest, begun, file);
          },
          () => abort(guest, uploadId),
        );
      },
      () => measured(rounds.post, () => postBody(agent, sink!, file)),
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
