/**
 * Figure 6: server RSS growth (server in its own process, VmRSS sampled every 50 ms) under many
 * concurrent 20 MB uploads, one guest each, in two phases on fresh servers:
 *  - chunks: random JPEG-signed junk, every chunk sent concurrently, then aborted (junk cannot be
 *    committed); this is the streaming-to-storage part of the target;
 *  - commits: a real 20 MB 27 MP JPEG uploaded and committed by every guest at once.
 * Growth is the peak over the RSS measured just before the burst; "idle" is the RSS a few seconds
 * after the burst ended, over the same baseline (memory should come back down).
 */
import { abort, begin, commit, connectGuest, sendChunks, type BenchSocket, type Begun } from '../lib/guest';
import type { BenchContext, Figure } from '../lib/figure';
import { junkJpeg, photo27mp } from '../lib/images';
import { atMost, info, type Row } from '../lib/rows';
import { MB, sampleRss, steadyRss } from '../lib/rss';
import { sleep } from '../lib/clock';
import { allGuests } from '../lib/crowd';

async function burst(
  label: string,
  uploads: number,
  idleMs: number,
  bytes: Buffer,
  work: (guest: BenchSocket, upload: Begun) => Promise<unknown>,
  { log, startServer }: BenchContext,
): Promise<Row[]> {
  const server = await startServer();
  let guests: BenchSocket[] = [];
  try {
    guests = await Promise.all(Array.from({ length: uploads }, () => connectGuest(server.url)));
    const ids = await Promise.all(guests.map((g) => begin(g, bytes.length)));
    const before = await steadyRss(server.pid);
    const rss = sampleRss(server.pid, 50);
    const started = performance.now();
    await allGuests(guests.map((g, i) => work(g, ids[i]!)));
    const seconds = (performance.now() - started) / 1000;
    rss.stop();
    await sleep(idleMs);
    const idle = await steadyRss(server.pid);
    log(`${label}: RSS ${Math.round(before / MB)} MB before, peak ${Math.round(rss.peak() / MB)} MB, ${Math.round(idle / MB)} MB ${idleMs / 1000} s after (${seconds.toFixed(1)} s burst)`);
    return [
      atMost(`memory ${label}: peak RSS growth`, (rss.peak() - before) / MB, 'MB', 200),
      info(`memory ${label}: RSS growth ${idleMs / 1000} s after`, (idle - before) / MB, 'MB'),
    ];
  } finally {
    for (const g of guests) g.disconnect();
    await server.stop();
  }
}

export const memoryFigure: Figure = {
  name: 'memory',
  async run(ctx) {
    const { quick } = ctx;
    const uploads = quick ? 10 : 50;
    const idleMs = quick ? 3000 : 10_000;
    const junk = junkJpeg(20 * 1024 * 1024);
    const photo = await photo27mp();
    const chunks = await burst(`${uploads}x20MB chunks`, uploads, idleMs, junk, async (g, id) => {
      await sendChunks(g, id, junk);
      // A refused abort fails nothing for a phone (see abort): said, not thrown.
      await abort(g, id.uploadId).catch((e: unknown) => ctx.log(`   (an abort failed: ${e instanceof Error ? e.message : String(e)}; the sweep deletes that upload)`));
    }, ctx);
    const commits = await burst(`${uploads}x20MB commits`, uploads, idleMs, photo, async (g, id) => {
      await sendChunks(g, id, photo);
      await commit(g, id.uploadId);
    }, ctx);
    return [...chunks, ...commits];
  },
};
