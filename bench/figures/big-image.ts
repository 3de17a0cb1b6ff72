/**
 * The largest photo a guest may send: one 100 MP JPEG (12000x8333, DEFAULT_MAX_PIXELS) uploaded and
 * committed, a wall listening. The server child's VmRSS is sampled every 50 ms from just before the
 * first chunk to the display shown at the wall; growth over the steady RSS before is held to 400 MB
 * (a whole decode of it alone is 300 MB of pixels, and libvips used to hold more than three).
 */
import { withCrowd } from '../lib/crowd';
import type { Figure } from '../lib/figure';
import { photo100mp } from '../lib/images';
import { atMost, info } from '../lib/rows';
import { MB, sampleRss, steadyRss } from '../lib/rss';
import { uploadToWall } from '../lib/uploads';

const TARGET_MB = 400;

export const bigImageFigure: Figure = {
  name: 'big-image',
  async run({ log, startServer }) {
    const photo = await photo100mp();
    return withCrowd(startServer, 1, async ({ server, wall, guests }) => {
      const before = await steadyRss(server.pid);
      const rss = sampleRss(server.pid, 50);
      const { shown } = await uploadToWall(guests[0]!, wall, photo);
      rss.stop();
      const growth = (rss.peak() - before) / MB;
      log(`one 100 MP JPEG (${(photo.length / MB).toFixed(1)} MB): RSS ${Math.round(before / MB)} MB before, peak ${Math.round(rss.peak() / MB)} MB; display shown ${Math.round(shown)} ms after the last chunk's ack`);
      return [
        atMost('big-image 1x100MP: peak server RSS growth', growth, 'MB', TARGET_MB),
        info('big-image 1x100MP: last chunk acked -> display shown', shown, 'ms'),
      ];
    });
  },
};
