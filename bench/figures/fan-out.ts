/**
 * Figure 5: 2,000 wall sockets (quick: 500) on one server process, each broadcast of a real
 * upload's photo:added timed from the moment the server hands it to Socket.IO to its receipt at
 * every socket. Three processes: the server, and the wall sockets split over two children
 * (bench/clients.ts), so neither the sockets' receiving nor the uploader share the server's loop.
 */
import type { ChildProcess } from 'node:child_process';
import { connectGuest, upload } from '../lib/guest';
import type { Figure } from '../lib/figure';
import { smallPhoto } from '../lib/images';
import { ask, forkBench, nextMessage, stopChild } from '../lib/processes';
import { atLeast, atMost, info } from '../lib/rows';
import { max, median, percentile } from '../lib/stats';

const CLIENT_PROCESSES = 2;

export const fanOutFigure: Figure = {
  name: 'fan-out',
  async run({ quick, log, startServer }) {
    const sockets = quick ? 500 : 2000;
    const broadcasts = quick ? 3 : 7;
    const photo = await smallPhoto();
    const server = await startServer({ traceBroadcast: true });
    const clients: ChildProcess[] = [];
    try {
      const started = performance.now();
      for (let i = 0; i < CLIENT_PROCESSES; i++) {
        const share = Math.floor(sockets / CLIENT_PROCESSES) + (i < sockets % CLIENT_PROCESSES ? 1 : 0);
        clients.push(forkBench('clients.ts', [server.url, String(share)]));
      }
      await Promise.all(clients.map((c) => nextMessage(c, 'ready', 300_000)));
      log(`${sockets} wall sockets in ${CLIENT_PROCESSES} processes connected and joined in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const guest = await connectGuest(server.url);
      const p50s: number[] = [];
      const p99s: number[] = [];
      const worst: number[] = [];
      let delivered = 1;
      try {
        for (let b = 0; b <= broadcasts; b++) {
          const sent = nextMessage<{ type: 'broadcast'; at: number; id: string }>(server.child, 'broadcast');
          const { photo: dto } = await upload(guest, photo);
          const broadcast = await sent;
          if (broadcast.id !== dto.id) throw new Error('another photo was broadcast');
          const replies = await Promise.all(clients.map((c) => ask<{ type: string; times: number[] }>(c, { type: 'collect', id: dto.id }, 'received')));
          const latencies = replies.flatMap((r) => r.times).map((t) => t - broadcast.at);
          if (b === 0) continue; // warm-up
          delivered = Math.min(delivered, latencies.length / sockets);
          p50s.push(percentile(latencies, 50));
          p99s.push(percentile(latencies, 99));
          worst.push(max(latencies));
        }
      } finally {
        guest.disconnect();
      }
      log(`p99 of each of ${broadcasts} broadcasts: ${p99s.map((v) => Math.round(v)).join(', ')} ms`);
      return [
        info(`fan-out ${sockets}: p50 (median of ${broadcasts})`, median(p50s), 'ms'),
        atMost(`fan-out ${sockets}: p99 (median of ${broadcasts})`, median(p99s), 'ms', 250),
        info(`fan-out ${sockets}: slowest socket (median)`, median(worst), 'ms'),
        atLeast(`fan-out ${sockets}: sockets reached`, delivered * 100, '%', 100),
      ];
    } finally {
      await Promise.all(clients.map(stopChild));
      await server.stop();
    }
  },
};
