/**
 * Figure 1: one guest uploads a 4 MB 12 MP JPEG at a time while a wall listens; last chunk acked ->
 * photo:added, and -> display image downloaded. Server in a child process: the guest's chunk
 * encoding and the wall's download then do not run on the server's event loop.
 */
import { connectGuest } from '../lib/guest';
import { repeats, type Figure } from '../lib/figure';
import { photo12mp } from '../lib/images';
import { atMost, info } from '../lib/rows';
import { spread } from '../lib/stats';
import { uploadToWall } from '../lib/uploads';
import { Wall } from '../lib/wall';

export const uploadToWallFigure: Figure = {
  name: 'upload-to-wall',
  async run(ctx) {
    const { quick, log, startServer } = ctx;
    // On FerretDB every image read scans the whole GridFS chunk collection, so each upload makes
    // the next one's display slower: 30 would take minutes and measure mostly that.
    const count = repeats(ctx, 'upload-to-wall uploads', quick ? 8 : 30, quick ? 8 : 12);
    const photo = await photo12mp();
    const server = await startServer();
    try {
      const wall = await Wall.open(server.url);
      const guest = await connectGuest(server.url);
      try {
        await uploadToWall(guest, wall, photo); // warm-up: first decode, JIT, SQLite pages
        const added: number[] = [];
        const shown: number[] = [];
        for (let i = 0; i < count; i++) {
          const t = await uploadToWall(guest, wall, photo);
          added.push(t.added);
          shown.push(t.shown);
        }
        log(`${count} uploads of ${(photo.length / 1e6).toFixed(1)} MB, one at a time`);
        const a = spread(added);
        const s = spread(shown);
        return [
          atMost('upload-to-wall: photo:added p50', a.p50, 'ms', 300),
          atMost('upload-to-wall: photo:added p95', a.p95, 'ms', 600),
          info('upload-to-wall: photo:added p99', a.p99, 'ms'),
          atMost('upload-to-wall: display shown p50', s.p50, 'ms', 300),
          atMost('upload-to-wall: display shown p95', s.p95, 'ms', 600),
          info('upload-to-wall: display shown p99', s.p99, 'ms'),
        ];
      } finally {
        guest.disconnect();
        wall.close();
      }
    } finally {
      await server.stop();
    }
  },
};
