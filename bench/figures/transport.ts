/**
 * Figure 4: the socket's chunked upload (begin, then 255 KiB chunks paced as the phone paces them, stopping
 * before commit: the upload is aborted, untimed) against one plain HTTP POST of the same 20 MB to a
 * node:http sink that streams it to a file. Both servers in one child process, both clients in another
 * (bench/transport-child.ts); alternating, medians. The test store skips fsync (SYNC_WRITES=false) and
 * so does the sink. Where the time goes: the CPU each transfer took in the server and in the client
 * (means, the server's process only; all of it on this machine's cores, where a phone's browser does
 * the client's share itself).
 */
import { UPLOAD_WINDOW } from '@photobook/shared';
import { repeats, type Figure } from '../lib/figure';
import { measureInChild, type Message } from '../lib/processes';
import { atLeast, info, versus } from '../lib/rows';
import type { Round } from '../lib/cpu';

interface Timings extends Message {
  readonly bytes: number;
  readonly socket: Round[];
  readonly post: Round[];
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export const transportFigure: Figure = {
  name: 'transport',
  async run(ctx) {
    const { quick, startServer, log } = ctx;
    // 30: in 12 rounds (about 1 s) the figure landed anywhere from 0.55 to 0.9 with the stretch of the
    // hour it fell in; in 40 it settled within 0.60-0.67. About 4 s per 20 MB upload on FerretDB.
    const rounds = repeats(ctx, 'transport rounds', quick ? 12 : 30, quick ? 4 : 6);
    const server = await startServer();
    try {
      const sink = await server.postBaseline();
      const args = [server.url, sink, String(rounds), String(server.pid)];
      const { bytes, socket, post } = await measureInChild<Timings>('transport-child.ts', args, 'transport', 600_000, log);
      const mbPerS = (r: Round) => bytes / 1e6 / (r.ms / 1000);
      const mb = Math.round(bytes / 2 ** 20);
      return [
        ...versus(
          { name: `transport: socket chunks (paced, window ${UPLOAD_WINDOW})`, samples: socket.map(mbPerS) },
          { name: 'transport: HTTP POST', samples: post.map(mbPerS) },
          'MB/s',
          (ratio) => atLeast('transport: socket / HTTP POST', ratio, 'x', 0.8),
        ),
        info(`transport: server CPU per ${mb} MB, socket`, mean(socket.map((r) => r.serverCpuMs)), 'ms'),
        info(`transport: server CPU per ${mb} MB, POST`, mean(post.map((r) => r.serverCpuMs)), 'ms'),
        info(`transport: client CPU per ${mb} MB, socket`, mean(socket.map((r) => r.clientCpuMs)), 'ms'),
        info(`transport: client CPU per ${mb} MB, POST`, mean(post.map((r) => r.clientCpuMs)), 'ms'),
      ];
    } finally {
      await server.stop();
    }
  },
};
