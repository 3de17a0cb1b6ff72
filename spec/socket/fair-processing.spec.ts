import { ErrorCode } from '@photobook/shared';
import { MAX_PIXELS_PER_BYTE } from '../../server/media/probe';
import { pngBomb } from '../fixtures/hostile-files';
import { atLimitPng, commitSlowly as commit, openUpload, photoOf, timed, watchWall } from '../fixtures/heavy-images';
import { sidewaysJpegWithGps } from '../fixtures/images';
import { connectClient, guestCookie, startTestServer, type TestServer, type TestSocket } from '../fixtures/server';

describe('processing costly images fairly', () => {
  let server: TestServer;
  const sockets: TestSocket[] = [];
  const guest = async () => {
    const socket = await connectClient(server.url, { cookie: guestCookie().cookie });
    sockets.push(socket);
    return socket;
  };

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });

  it('refuses a tiny PNG declaring 10000x10000 pixels (exactly the limit) with TOO_MANY_PIXELS from its header, at once', async () => {
    server = await startTestServer();
    const socket = await guest();
    const bomb = pngBomb(10_000, 10_000);
    const uploadId = await openUpload(socket, bomb, 'image/png');
    const { value: refused, ms } = await timed(() => commit(socket, uploadId));
    expect(refused.ok ? 'ok' : refused.error.code).toBe(ErrorCode.TooManyPixels);
    expect(refused.ok ? '' : refused.error.message).toContain('too many pixels for its file size');
    expect(ms).withContext('refused from the header, without decoding').toBeLessThan(1000);
    expect(await server.store.listPhotos(10)).toEqual([]);
  });

  it("puts another guest's ordinary photo on the wall within one heavy photo's processing while one guest's six at-limit PNGs wait", async () => {
    // At the default 100 MP limit one at-limit PNG costs about 5 s here, six half a minute: the
    // bench (bench/heavy-images.ts) runs that. The spec scales the limit down to 5000x5000, just
    // above FREE_PIXELS, so the budget per byte, not the limit, still decides what is accepted.
    const limit = 25_000_000;
    server = await startTestServer({ config: { maxPixels: limit } });
    const queue = server.app.uploads;
    const heavy = await atLimitPng(5000, 5000);
    expect(heavy.length * MAX_PIXELS_PER_BYTE).withContext('just within the budget').toBeGreaterThanOrEqual(limit);
    expect(heavy.length * MAX_PIXELS_PER_BYTE).withContext('just within the budget').toBeLessThan(limit * 1.05);
    const ordinary = await sidewaysJpegWithGps();

    const { shown, onWall } = await watchWall(await guest());

    const heavyGuest = await guest();
    const otherGuest = await guest();
    const heavySolo = await timed(async () => photoOf(await commit(heavyGuest, await openUpload(heavyGuest, heavy, 'image/png'))));
    const ordinarySolo = await timed(async () => photoOf(await commit(otherGuest, await openUpload(otherGuest, ordinary, 'image/jpeg'))));

    const heavyIds: string[] = [];
    for (let i = 0; i < 6; i++) heavyIds.push(await openUpload(heavyGuest, heavy, 'image/png'));
    const ordinaryId = await openUpload(otherGuest, ordinary, 'image/jpeg');
    let heavyDone = 0;
    const heavyCommits = heavyIds.map((id) => commit(heavyGuest, id).finally(() => heavyDone++));
    // Timing-free: wait until all six are in the scheduler (one running, five waiting).
    while (queue.processingLoad.running + queue.processingLoad.waiting + heavyDone < 6) await new Promise((resolve) => setTimeout(resolve, 5));

    const startedAt = performance.now();
    const ordinaryCommit = commit(otherGuest, ordinaryId);
    await onWall(ordinaryId);
    const ordinaryLatency = shown.get(ordinaryId)! - startedAt;

    // A bomb at this server's limit is refused from its header, while the heavy backlog still waits.
    const bombSocket = await guest();
    const bomb = await timed(async () => commit(bombSocket, await openUpload(bombSocket, pngBomb(5000, 5000), 'image/png')));
    const backlogLeft = 6 - heavyDone;

    const ordinaryPhoto = photoOf(await ordinaryCommit);
    const heavyPhotos = (await Promise.all(heavyCommits)).map(photoOf);
    const behind = heavyPhotos.filter((p) => p.seq > ordinaryPhoto.seq).length;
    console.log(
      `fair processing: 5000x5000 PNG of ${Math.round(heavy.length / 1000)} KB alone ${heavySolo.ms.toFixed(0)} ms, ordinary solo ${ordinarySolo.ms.toFixed(0)} ms, ` +
        `ordinary behind six heavy ${ordinaryLatency.toFixed(0)} ms (${(ordinaryLatency / heavySolo.ms).toFixed(2)}x one heavy), ` +
        `${behind} of 6 heavy after it, bomb refused in ${bomb.ms.toFixed(0)} ms with ${backlogLeft} heavy left`,
    );
    expect(ordinaryLatency).toBeLessThan((heavySolo.ms + ordinarySolo.ms) * 2);
    expect(behind).withContext('heavy photos stored after the ordinary one').toBeGreaterThanOrEqual(3);
    expect(bomb.value.ok ? 'ok' : bomb.value.error.code).toBe(ErrorCode.TooManyPixels);
    expect(backlogLeft).withContext('heavy photos still waiting when the bomb was refused').toBeGreaterThan(0);
  }, 120_000);
});
