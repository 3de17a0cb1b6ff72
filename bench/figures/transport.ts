/**
 * Figure 4: the socket's chunked upload (begin, then 255 KiB chunks paced as the phone paces them, stopping
 * before commit: the upload is aborted, untimed) against one plain HTTP POST of the same 20 MB to a
 * node:http sink that streams it to a file. Both servers in one child process, the clients here;
 * alternating, medians. The test store skips fsync (SYNC_WRITES=false) and so does the sink.
 */
import { UPLOAD_WINDOW } from '@photobook/shared';
import { abort, begin, connectGuest, sendChunks } from '../lib/guest';
import { alternate } from '../lib/alternate';
import { repeats, type Figure } from '../lib/figure';
import { keepAliveAgent, postBody } from '../lib/http';
import { junkJpeg } from '../lib/images';
import { atLeast, versus } from '../lib/rows';

const SIZE = 20 * 1024 * 1024;

export const transportFigure: Figure = {
  name: 'transport',
  async run(ctx) {
    const { quick, startServer } = ctx;
    // About 4 s per 20 MB upload on FerretDB.
    const rounds = repeats(ctx, 'transport rounds', quick ? 8 : 12, quick ? 4 : 6);
    const file = junkJpeg(SIZE);
    const server = await startServer();
    const agent = keepAliveAgent(1);
    try {
      const sink = await server.postBaseline();
      const guest = await connectGuest(server.url);
      const mbPerS = (ms: number) => SIZE / 1e6 / (ms / 1000);
      try {
        const samples = await alternate(
          rounds,
          async () => {
            const started = performance.now();
            const begun = await begin(guest, SIZE);
            await sendChunks(guest, begun, file);
            const ms = performance.now() - started;
            await abort(guest, begun.uploadId);
            return mbPerS(ms);
          },
          async () => {
            const started = performance.now();
            await postBody(agent, sink, file);
            return mbPerS(performance.now() - started);
          },
        );
        return versus(
          { name: `transport: socket chunks (paced, window ${UPLOAD_WINDOW})`, samples: samples.a },
          { name: 'transport: HTTP POST', samples: samples.b },
          'MB/s',
          (ratio) => atLeast('transport: socket / HTTP POST', ratio, 'x', 0.8),
        );
      } finally {
        guest.disconnect();
      }
    } finally {
      agent.destroy();
      await server.stop();
    }
  },
};
