/**
 * Figure 2: 10 guests at once, each sending 3 photos (4 MB, 12 MP) one after another, a wall
 * listening; every photo timed from its last chunk's ack to its display image at the wall.
 * Server in a child process, as in figure 1.
 */
import { allGuests, withCrowd } from '../lib/crowd';
import type { Figure } from '../lib/figure';
import { photo12mp } from '../lib/images';
import { atMost, info } from '../lib/rows';
import { spread } from '../lib/stats';
import { uploadToWall } from '../lib/uploads';

const GUESTS = 10;
const PHOTOS_EACH = 3;

export const burstFigure: Figure = {
  name: 'burst',
  async run({ log, startServer }) {
    const photo = await photo12mp();
    return withCrowd(startServer, GUESTS, async ({ wall, guests }) => {
      await uploadToWall(guests[0]!, wall, photo); // warm-up
      const added: number[] = [];
      const shown: number[] = [];
      const started = performance.now();
      await allGuests(
        guests.map(async (guest) => {
          for (let i = 0; i < PHOTOS_EACH; i++) {
            const t = await uploadToWall(guest, wall, photo);
            added.push(t.added);
            shown.push(t.shown);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      log(`${GUESTS} guests x ${PHOTOS_EACH} photos in ${seconds.toFixed(1)} s`);
      const a = spread(added);
      const s = spread(shown);
      return [
        info(`burst ${GUESTS}x${PHOTOS_EACH}: photo:added p95`, a.p95, 'ms'),
        info(`burst ${GUESTS}x${PHOTOS_EACH}: display shown p50`, s.p50, 'ms'),
        atMost(`burst ${GUESTS}x${PHOTOS_EACH}: display shown p95`, s.p95, 'ms', 1500),
        info(`burst ${GUESTS}x${PHOTOS_EACH}: display shown p99`, s.p99, 'ms'),
      ];
    });
  },
};
