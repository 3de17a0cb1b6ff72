/**
 * Figure 1: one guest uploads a 4 MB 12 MP JPEG at a time while a wall listens; last chunk acked ->
 * photo:added, and -> display image downloaded. Server in a child process: the guest's chunk
 * encoding and the wall's download then do not run on the server's event loop.
 */
import { connectGuest } from '../lib/guest';
import type { Figure } from '../lib/figure';
import { photo12mp } from '../lib/images';
import { startServerProcess } from '../lib/processes';
import { atMost, info } from '../lib/rows';
import { spread } from '../lib/stats';
import { uploadToWall } from '../lib/uploads';
import { Wall } from '../lib/wall';

export const uploadToWallFigure: Figure = {
  name: 'upload-to-wall',
  async run({ quick, log }) {
    const count = quick ? 8 : 30;
    const photo = await photo12mp();
    const server = await startServerProcess();
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
