/**
 * Figure 8: does a full store slow the path to the wall? Stores seeded with 100, 1,000 and 10,000
 * photos (quick: 100 and 2,000) through the store's own createPhoto (in the server child, so either
 * store), one server process on each, all up at once; rounds visit every size in turn (starting
 * one further along each round): one 12 MP upload to the wall (last ack -> display shown) and a
 * few 'wall:join' (sinceSeq null) round trips. Every join asks for a snapshot as large as the smallest
 * store (limit 100), so each store answers the same number of photos and only the store's size differs.
 */
import type { Figure } from '../lib/figure';
import { connectGuest, joinWall, type BenchSocket } from '../lib/guest';
import { photo12mp } from '../lib/images';
import type { ServerProcess } from '../lib/processes';
import { atMost, info, type Row } from '../lib/rows';
import { median } from '../lib/stats';
import { uploadToWall } from '../lib/uploads';
import { Wall } from '../lib/wall';

const JOINS_PER_ROUND = 5;

interface Subject {
  readonly photos: number;
  readonly server: ServerProcess;
  readonly wall: Wall;
  readonly guest: BenchSocket;
  readonly shown: number[];
  readonly joins: number[];
}

async function measure(subject: Subject, bytes: Buffer, snapshot: number): Promise<void> {
  subject.shown.push((await uploadToWall(subject.guest, subject.wall, bytes)).shown);
  for (let i = 0; i < JOINS_PER_ROUND; i++) {
    const started = performance.now();
    const joined = await joinWall(subject.wall.socket, snapshot);
    if (joined.photos.length !== snapshot) throw new Error(`wall:join answered ${joined.photos.length} photos, not ${snapshot}`);
    subject.joins.push(performance.now() - started);
  }
}

export const costGrowthFigure: Figure = {
  name: 'cost-growth',
  async run({ quick, log, startServer }) {
    const sizes = quick ? [100, 2000] : [100, 1000, 10_000];
    const rounds = quick ? 6 : 15;
    const bytes = await photo12mp();
    const subjects: Subject[] = [];
    try {
      for (const photos of sizes) {
        const started = performance.now();
        const server = await startServer({ seedPhotos: photos });
        subjects.push({ photos, server, wall: await Wall.open(server.url), guest: await connectGuest(server.url), shown: [], joins: [] });
        log(`store with ${photos} photos seeded and served in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
      for (const s of subjects) await uploadToWall(s.guest, s.wall, bytes); // warm-up
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < subjects.length; i++) await measure(subjects[(round + i) % subjects.length]!, bytes, sizes[0]!);
      }
      const rows: Row[] = [];
      for (const s of subjects) rows.push(info(`cost-growth: upload-to-wall p50 @${s.photos}`, median(s.shown), 'ms'));
      for (const s of subjects) rows.push(info(`cost-growth: wall:join p50 @${s.photos}`, median(s.joins), 'ms'));
      const first = subjects[0]!;
      const last = subjects[subjects.length - 1]!;
      rows.push(atMost(`cost-growth: upload p50 @${last.photos} / @${first.photos}`, median(last.shown) / median(first.shown), 'x', 1.5));
      // Same-size snapshots (above): the ratios are the store's size alone. DESIGN.md: @2000 (or @1000)
      // within 1.5x of @100, @10,000 within 2x.
      for (const s of subjects.slice(1)) {
        const target = s.photos >= 10_000 ? 2 : 1.5;
        rows.push(atMost(`cost-growth: join p50 @${s.photos} / @${first.photos}`, median(s.joins) / median(first.joins), 'x', target));
      }
      return rows;
    } finally {
      for (const s of subjects) {
        s.guest.disconnect();
        s.wall.close();
        await s.server.stop();
      }
    }
  },
};
