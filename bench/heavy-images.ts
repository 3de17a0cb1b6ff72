/**
 * Costly images, at the real 100 MP limit: one guest commits six of the heaviest PNGs the pixel
 * budget accepts, another guest one ordinary JPEG; prints how long the ordinary photo waits as a
 * ratio of one heavy photo's processing, the server's RSS, and how fast a 100 MP bomb is refused.
 * The same scenario as spec/socket/fair-processing.spec.ts, which runs it scaled down.
 *
 *   npm run bench             the server as it is (fair scheduler, budget per byte)
 *   npm run bench -- --old    first come, first served over two slots, as before (own process for a clean RSS)
 */
import { processImage } from '../server/media/pipeline';
import { Semaphore } from '../server/util/concurrency';
import { atLimitPng, commitSlowly, openUpload, photoOf, timed, watchWall } from '../spec/fixtures/heavy-images';
import { pngBomb } from '../spec/fixtures/hostile-files';
import { sidewaysJpegWithGps } from '../spec/fixtures/images';
import { connectClient, guestCookie, startTestServer, type TestSocket } from '../spec/fixtures/server';

const commit = (socket: TestSocket, uploadId: string) => commitSlowly(socket, uploadId, 600_000);

const HEAVY_COUNT = 6;
const SIDE = 10_000; // 10000x10000 = the default MAX_PIXELS

/** Peak RSS, sampled every 10 ms (sharp works on other threads, so the event loop stays free to sample). */
function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  return { peak: () => peak, stop: () => clearInterval(timer) };
}

const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
const ms = (t: number) => `${Math.round(t)} ms`;
const sleep = (t: number) => new Promise((resolve) => setTimeout(resolve, t));

async function fair(heavy: Buffer, ordinary: Buffer): Promise<void> {
  const server = await startTestServer();
  const queue = server.app.uploads;
  const sockets: TestSocket[] = [];
  const guest = async () => {
    const socket = await connectClient(server.url, { cookie: guestCookie().cookie });
    sockets.push(socket);
    return socket;
  };
  try {
    const { shown, onWall } = await watchWall(await guest());
    const heavyGuest = await guest();
    const otherGuest = await guest();

    const rssStart = process.memoryUsage.rss();
    const sampler = rssSampler();
    const heavySolo = await timed(async () => photoOf(await commit(heavyGuest, await openUpload(heavyGuest, heavy, 'image/png'))));
    const ordinarySolo = await timed(async () => photoOf(await commit(otherGuest, await openUpload(otherGuest, ordinary, 'image/jpeg'))));

    const heavyIds: string[] = [];
    for (let i = 0; i < HEAVY_COUNT; i++) heavyIds.push(await openUpload(heavyGuest, heavy, 'image/png'));
    const ordinaryId = await openUpload(otherGuest, ordinary, 'image/jpeg');
    let heavyDone = 0;
    const heavyCommits = heavyIds.map((id) => commit(heavyGuest, id).finally(() => heavyDone++));
    while (queue.processingLoad.running + queue.processingLoad.waiting + heavyDone < HEAVY_COUNT) await sleep(5);
    const startedAt = performance.now();
    const ordinaryCommit = commit(otherGuest, ordinaryId);
    await onWall(ordinaryId);
    const latency = shown.get(ordinaryId)! - startedAt;

    const bombSocket = await guest();
    const bombId = await openUpload(bombSocket, pngBomb(SIDE, SIDE), 'image/png');
    const bomb = await timed(() => commit(bombSocket, bombId));
    const backlogLeft = HEAVY_COUNT - heavyDone;

    const ordinaryPhoto = photoOf(await ordinaryCommit);
    const heavyPhotos = (await Promise.all(heavyCommits)).map(photoOf);
    const behind = heavyPhotos.filter((p) => p.seq > ordinaryPhoto.seq).length;
    sampler.stop();
    await sleep(5000);
    const rssAfter = process.memoryUsage.rss();

    console.log(`fair scheduler, ${SIDE}x${SIDE} PNG of ${(heavy.length / 1e6).toFixed(2)} MB (${((SIDE * SIDE) / heavy.length).toFixed(1)} px/byte):`);
    console.log(`  one heavy photo alone (commit to ack): ${ms(heavySolo.ms)}; the ordinary JPEG alone: ${ms(ordinarySolo.ms)}`);
    console.log(
      `  ordinary photo behind ${HEAVY_COUNT} heavy ones, commit to wall: ${ms(latency)} = ${(latency / heavySolo.ms).toFixed(2)}x one heavy photo; ` +
        `${behind} of ${HEAVY_COUNT} heavy ones stored after it`,
    );
    const refusal = bomb.value.ok ? 'ACCEPTED' : bomb.value.error.code;
    console.log(`  ${SIDE}x${SIDE} bomb PNG (${pngBomb(SIDE, SIDE).length} bytes): ${refusal} in ${ms(bomb.ms)}, with ${backlogLeft} heavy photos still queued`);
    console.log(`  RSS: start ${mb(rssStart)}, peak ${mb(sampler.peak())}, 5 s after ${mb(rssAfter)}`);
  } finally {
    for (const s of sockets) s.disconnect();
    await server.close();
  }
}

/** The old processing, in-process without the server: a FIFO semaphore of two slots over the same images. */
async function old(heavy: Buffer, ordinary: Buffer): Promise<void> {
  const limits = { maxPixels: SIDE * SIDE };
  const slots = new Semaphore(2);
  const rssStart = process.memoryUsage.rss();
  const sampler = rssSampler();
  const heavySolo = await timed(() => processImage(heavy, limits));
  const heavyRuns = Array.from({ length: HEAVY_COUNT }, () => slots.run(() => processImage(heavy, limits)));
  const ordinaryRun = await timed(() => slots.run(() => processImage(ordinary, limits)));
  await Promise.all(heavyRuns);
  sampler.stop();
  await sleep(5000);
  console.log(`old FIFO over 2 slots, same images, no server:`);
  console.log(`  one heavy photo alone (processing only): ${ms(heavySolo.ms)}`);
  console.log(`  ordinary photo behind ${HEAVY_COUNT} heavy ones: ${ms(ordinaryRun.ms)} = ${(ordinaryRun.ms / heavySolo.ms).toFixed(2)}x one heavy photo`);
  console.log(`  RSS: start ${mb(rssStart)}, peak ${mb(sampler.peak())}, 5 s after ${mb(process.memoryUsage.rss())}`);
}

const heavy = await atLimitPng(SIDE, SIDE);
const ordinary = await sidewaysJpegWithGps();
await (process.argv.includes('--old') ? old(heavy, ordinary) : fair(heavy, ordinary));
