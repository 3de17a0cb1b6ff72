/**
 * Costly images, at the real 100 MP limit: one guest commits six of the heaviest PNGs the pixel
 * budget accepts, another guest one ordinary JPEG; prints how long the ordinary photo waits as a
 * ratio of one heavy photo's processing, the server's RSS, and how fast a 100 MP bomb is refused.
 * The same scenario as spec/socket/fair-processing.spec.ts, which runs it scaled down.
 *
 *   npm run bench             the server as it is (fair scheduler, budget per byte)
 *   npm run bench -- --old    first come, first served over two slots, as before (own process for a clean RSS)
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createDeflate } from 'node:zlib';
import type { PhotoDto, Result, UploadBeginReply, WallSnapshot } from '@photobook/shared';
import { processImage } from '../server/media/pipeline';
import { MAX_PIXELS_PER_BYTE } from '../server/media/probe';
import { Semaphore } from '../server/util/concurrency';
import type { FairScheduler } from '../server/util/fair-scheduler';
import { PNG_SIGNATURE, pngBomb, pngChunk } from '../spec/fixtures/hostile-files';
import { sidewaysJpegWithGps } from '../spec/fixtures/images';
import { connectClient, guestCookie, request, sendChunks, startTestServer, type TestSocket } from '../spec/fixtures/server';

const HEAVY_COUNT = 6;
const SIDE = 10_000; // 10000x10000 = the default MAX_PIXELS

/** The heaviest PNG the budget accepts (as in the spec): noise rows on top, black below, deflated row by row. */
async function atLimitPng(width: number, height: number): Promise<Buffer> {
  const rowBytes = 1 + 3 * width;
  const noisyRows = Math.ceil((width * height) / MAX_PIXELS_PER_BYTE / rowBytes - height / 1030) + 1;
  const deflate = createDeflate({ level: 9 });
  const idat: Buffer[] = [];
  deflate.on('data', (b: Buffer) => idat.push(b));
  const ended = once(deflate, 'end');
  const black = Buffer.alloc(rowBytes);
  for (let y = 0; y < height; y++) {
    const row = y < noisyRows ? Buffer.concat([Buffer.alloc(1), randomBytes(rowBytes - 1)]) : black;
    if (!deflate.write(row)) await once(deflate, 'drain');
  }
  deflate.end();
  await ended;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', Buffer.concat(idat)), pngChunk('IEND', Buffer.alloc(0))]);
}

/** Peak RSS, sampled every 10 ms (sharp works on other threads, so the event loop stays free to sample). */
function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  return { peak: () => peak, stop: () => clearInterval(timer) };
}

const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
const ms = (t: number) => `${Math.round(t)} ms`;
const sleep = (t: number) => new Promise((resolve) => setTimeout(resolve, t));

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function openUpload(socket: TestSocket, bytes: Buffer, type: string): Promise<string> {
  const begin = await request<UploadBeginReply>(socket, 'upload:begin', {
    clientUploadId: randomBytes(8).toString('hex'), name: 'photo', size: bytes.length, type, caption: '', author: '',
  });
  if (!begin.ok || begin.value.state !== 'open') throw new Error(`upload:begin failed: ${JSON.stringify(begin)}`);
  const sent = await sendChunks(socket, begin.value.uploadId, bytes);
  if (!sent.ok) throw new Error(`upload:chunk failed: ${sent.error.code}`);
  return begin.value.uploadId;
}

function commit(socket: TestSocket, uploadId: string): Promise<Result<PhotoDto>> {
  const emitter = socket.timeout(600_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<Result<PhotoDto>> };
  return emitter.emitWithAck('upload:commit', { uploadId });
}

const photoOf = (r: Result<PhotoDto>): PhotoDto => {
  if (!r.ok) throw new Error(`commit failed: ${r.error.code} ${r.error.message}`);
  return r.value;
};

async function fair(heavy: Buffer, ordinary: Buffer): Promise<void> {
  const server = await startTestServer();
  const queue = (server.app.uploads as unknown as { processing: FairScheduler }).processing;
  const sockets: TestSocket[] = [];
  const guest = async () => {
    const socket = await connectClient(server.url, { cookie: guestCookie().cookie });
    sockets.push(socket);
    return socket;
  };
  try {
    const wall = await guest();
    const shown = new Map<string, number>();
    const waiters = new Map<string, () => void>();
    wall.on('photo:added', (photo) => {
      shown.set(photo.id, performance.now());
      waiters.get(photo.id)?.();
    });
    await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: null });
    const onWall = (id: string) => (shown.has(id) ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(id, resolve)));
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
    while (queue.load.running + queue.load.waiting + heavyDone < HEAVY_COUNT) await sleep(5);
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
