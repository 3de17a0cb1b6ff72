/**
 * The 12 MP burst's peak memory, side by side with PicPeak (the open-source peer): ten guests each
 * upload one 4 MB 12 MP JPEG at once, a wall listening; the server child's VmRSS is sampled every
 * 50 ms from before the first byte to the last display shown at the wall. Absolute, not growth:
 * PicPeak's 158-184 MB on this machine (shared/DESIGN.md) was measured so, and 184 MB is the target.
 */
import { allGuests, withCrowd } from '../lib/crowd';
import type { Figure } from '../lib/figure';
import { photo12mp } from '../lib/images';
import { atMost, info } from '../lib/rows';
import { MB, rssOf, sampleRss } from '../lib/rss';
import { uploadToWall } from '../lib/uploads';

const GUESTS = 10;
/** PicPeak's peak RSS in the same burst, here (shared/DESIGN.md, 2026-11-29). */
const PICPEAK_PEAK_MB = 184;

export const burstRssFigure: Figure = {
  name: 'burst-rss',
  async run({ log, startServer }) {
    const photo = await photo12mp();
    return withCrowd(startServer, GUESTS, async ({ server, wall, guests }) => {
      const start = rssOf(server.pid);
      const rss = sampleRss(server.pid, 50);
      const started = performance.now();
      await allGuests(guests.map((guest) => uploadToWall(guest, wall, photo)));
      rss.stop();
      const seconds = (performance.now() - started) / 1000;
      log(`${GUESTS} x 12 MP at once: RSS ${Math.round(start / MB)} MB at the start, peak ${Math.round(rss.peak() / MB)} MB (${seconds.toFixed(1)} s to the last display shown)`);
      return [
        info(`burst-rss ${GUESTS}x12MP: RSS at the start`, start / MB, 'MB'),
        atMost(`burst-rss ${GUESTS}x12MP: peak server RSS`, rss.peak() / MB, 'MB', PICPEAK_PEAK_MB),
      ];
    });
  },
};
