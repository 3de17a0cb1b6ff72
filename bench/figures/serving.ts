/**
 * Figure 7: requests per second for one thumbnail, our GET /media/<key> against express.static
 * serving the same bytes from a temp dir. Both servers in one child process; here, N keep-alive
 * clients loop GETs for a fixed time; the two alternate, medians compared.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectGuest, upload } from '../lib/guest';
import { alternate } from '../lib/alternate';
import { repeats, type Figure } from '../lib/figure';
import { getBody, keepAliveAgent } from '../lib/http';
import { photo12mp } from '../lib/images';
import { atLeast, versus } from '../lib/rows';

const CLIENTS = 16;

/** Completed requests per second with CLIENTS concurrent keep-alive loops for `ms`. */
async function load(url: string, ms: number): Promise<number> {
  const agent = keepAliveAgent(CLIENTS);
  const until = performance.now() + ms;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < until) {
        await getBody(agent, url);
        done++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return done / seconds;
}

export const servingFigure: Figure = {
  name: 'serving',
  async run(ctx) {
    const { quick, log, startServer } = ctx;
    // On FerretDB a request takes ~1 s, so each timed window runs several seconds past its end.
    const rounds = repeats(ctx, 'serving rounds', quick ? 5 : 8, quick ? 3 : 4);
    const server = await startServer();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-bench-static-'));
    try {
      const guest = await connectGuest(server.url);
      const { photo } = await upload(guest, await photo12mp());
      guest.disconnect();
      const ours = new URL(photo.thumbUrl, server.url).href;
      const key = path.basename(new URL(ours).pathname);
      const bytes = Buffer.from(await (await fetch(ours)).arrayBuffer());
      await fs.writeFile(path.join(dir, key), bytes);
      const theirs = `${await server.staticBaseline(dir)}/${key}`;
      log(`thumbnail ${key} (${bytes.length} bytes), ${CLIENTS} keep-alive clients`);
      const ms = quick ? 1000 : 3000;
      const samples = await alternate(rounds, () => load(ours, ms), () => load(theirs, ms));
      return versus(
        { name: 'serving: GET /media thumbnail', samples: samples.a },
        { name: 'serving: express.static', samples: samples.b },
        'req/s',
        (ratio) => atLeast('serving: ours / express.static', ratio, 'x', 0.8),
      );
    } finally {
      await server.stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  },
};
