/// <reference lib="dom" />
import path from 'node:path';
import sharp from 'sharp';
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { useBrowser } from '../fixtures/browser';
import { CutProxy } from '../fixtures/cut-proxy';
import { sceneJpeg } from '../fixtures/scenes';
import { connectClient, guestCookie, request, startTestServer, uploadFile, type TestServer, type TestSocket } from '../fixtures/server';
import { onStage, recordStage, turns, wallsLive } from '../fixtures/wall-watch';

const CLIENT_DIR = path.resolve('dist/client/browser');
/** Issue 11: a new photo takes the stage within this. */
const STAGE_MS = 1_000;

let scene = 100;
async function send(socket: TestSocket, caption: string, author = 'A guest'): Promise<string> {
  const portrait = scene % 3 === 0;
  const sent = await uploadFile(socket, await sceneJpeg(++scene, portrait ? 600 : 900, portrait ? 800 : 600), { caption, author });
  if (!sent.ok) throw new Error(`upload failed: ${sent.error.code}`);
  return sent.value.id;
}

describe('The wall as a show (end to end, headless Chromium)', () => {
  let server: TestServer;
  const chromium = useBrowser({ timeoutMs: 120_000 });
  const sockets: TestSocket[] = [];
  const guest = async () => {
    const socket = await connectClient(server.url, { cookie: guestCookie().cookie });
    sockets.push(socket);
    return socket;
  };

  beforeEach(async () => {
    server = await startTestServer({ config: { staticDir: CLIENT_DIR } });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.disconnect();
    await server.close();
  });

  it('puts a photo uploaded while the wall is open on stage within 1 s, with its caption', async () => {
    const anna = await guest();
    await send(anna, 'Already there');
    const wall = await chromium.openPage(server.url, '/?layout=slideshow');
    await wall.getByTestId('wall-stage').waitFor({ timeout: 10_000 });
    const id = await send(anna, 'Brand new', 'Anna');
    const ms = await onStage(wall, id, Date.now());
    console.log(`\n  stored -> on stage: ${ms} ms`);
    expect(ms).toBeLessThan(STAGE_MS);
    expect(await wall.getByTestId('wall-stage').getByTestId('wall-caption').textContent()).toContain('Brand new');
  });

  /** 12 photos, 4 from each of 3 guests (A's four first), held back by pre-approval. Returns id -> guest. */
  async function heldBurst(): Promise<Record<string, string>> {
    const [a, b, c] = [await guest(), await guest(), await guest()];
    await server.app.settings.requireApproval(true);
    const ids: Record<string, string> = {};
    for (const [who, socket] of [['A', a], ['B', b], ['C', c]] as const) {
      for (let i = 0; i < 4; i++) ids[await send(socket!, `${who}${i}`, who)] = who;
    }
    return ids;
  }
  /** Approved at once, in upload order (A's four first): only a fair show interleaves them. */
  async function approve(ids: Record<string, string>): Promise<void> {
    for (const id of Object.keys(ids)) await server.app.photos.moderate({ id, state: 'visible' });
  }
  /** Waits until the wall has shown all 12, and checks every 3 turns in a row show all 3 guests. */
  async function expectInterleaved(wall: Page, ids: Record<string, string>): Promise<void> {
    await wall.waitForFunction(() => new Set((window as unknown as { __stageLog: { id: string }[] }).__stageLog.map((t) => t.id)).size >= 12, null, {
      timeout: 60_000,
    });
    const firstTurns: string[] = [];
    for (const turn of await turns(wall)) if (ids[turn.id] && !firstTurns.includes(turn.id)) firstTurns.push(turn.id);
    const order = firstTurns.map((id) => ids[id]).join('');
    console.log(`  show order of the burst: ${order}`);
    expect(order.length).toBe(12);
    for (let i = 0; i + 3 <= 12; i += 3) expect(new Set(order.slice(i, i + 3)).size).withContext(order).toBe(3);
  }

  it('shows a burst of 12 photos from 3 guests interleaved by guest', async () => {
    const ids = await heldBurst();
    const wall = await chromium.openPage(server.url, '/?layout=slideshow&seconds=2');
    await wall.getByTestId('wall-empty').waitFor({ timeout: 10_000 });
    // The burst must reach the wall live: its invitation shows before it has joined (on a loaded
    // machine the approvals then came in its join answer, as photos already on the wall).
    await wallsLive(server.app);
    await recordStage(wall);
    await approve(ids);
    await expectInterleaved(wall, ids);
  });

  it('interleaves by guest a burst approved just before it joined, found among the photos already there', async () => {
    const ids = await heldBurst();
    await approve(ids);
    const wall = await chromium.openPage(server.url, '/?layout=slideshow&seconds=2');
    await recordStage(wall);
    await expectInterleaved(wall, ids);
  });

  it('follows an edit, a hide and a delete live', async () => {
    const anna = await guest();
    const first = await send(anna, 'First');
    const second = await send(anna, 'Second');
    const wall = await chromium.openPage(server.url, '/?layout=slideshow&seconds=30');
    await wall.getByTestId('wall-stage').waitFor({ timeout: 10_000 });
    const staged = (await wall.getByTestId('wall-stage').getAttribute('data-photo-id'))!;
    const other = staged === first ? second : first;

    let at = Date.now();
    expect((await request(anna, 'photo:update', { id: staged, caption: 'Edited live' })).ok).toBeTrue();
    await wall.getByTestId('wall-stage').getByTestId('wall-caption').filter({ hasText: 'Edited live' }).waitFor({ timeout: 5_000 });
    expect(Date.now() - at).withContext('edit').toBeLessThan(STAGE_MS);

    at = Date.now();
    expect((await server.app.photos.moderate({ id: staged, state: 'hidden' })).ok).toBeTrue();
    expect(await onStage(wall, other, at)).withContext('hide: the show moves on').toBeLessThan(STAGE_MS);

    const third = await send(anna, 'Third');
    await onStage(wall, third, Date.now());
    at = Date.now();
    expect((await request(anna, 'photo:remove', { id: third })).ok).toBeTrue();
    expect(await onStage(wall, other, at)).withContext('delete: the show moves on').toBeLessThan(STAGE_MS);
    await recordStage(wall);
    await wall.waitForTimeout(1_500);
    expect((await turns(wall)).map((t) => t.id)).withContext('neither comes back').toEqual([other]);
  });

  it('after its socket is cut, catches up: 3 new photos, 1 edit and 1 delete made meanwhile, exactly', async () => {
    const anna = await guest();
    const kept = await send(anna, 'Kept');
    const edited = await send(anna, 'Before the cut');
    const deleted = await send(anna, 'Deleted in the cut');
    const proxy = await CutProxy.start(server.url);
    try {
      const wall = await chromium.openPage(proxy.url, '/?layout=slideshow&seconds=2');
      await wall.getByTestId('wall-stage').waitFor({ timeout: 10_000 });
      proxy.cut(6_000);
      await wall.getByTestId('wall-offline').waitFor({ timeout: 5_000 });
      const added = [await send(anna, 'New 1'), await send(anna, 'New 2'), await send(anna, 'New 3')];
      expect((await request(anna, 'photo:update', { id: edited, caption: 'Edited in the cut' })).ok).toBeTrue();
      expect((await request(anna, 'photo:remove', { id: deleted })).ok).toBeTrue();
      await wall.getByTestId('wall-offline').waitFor({ state: 'detached', timeout: 20_000 });
      // Back online is not caught up yet: record the show once the catch-up landed (5 photos, not 3),
      // or a slide still on stage from before the cut counts as a turn on a slow machine.
      await wall.waitForFunction(() => document.querySelector('[data-testid="wall-count"]')?.textContent?.includes('5'), null, { timeout: 10_000 });
      await recordStage(wall);
      // Two full rounds of the five photos at 2 s each.
      await wall.waitForTimeout(21_000);
      const seen = new Map((await turns(wall)).map((t) => [t.id, t.caption]));
      expect([...seen.keys()].sort()).toEqual([kept, edited, ...added].sort());
      expect(seen.get(edited)).toContain('Edited in the cut');
      expect(await wall.getByTestId('wall-count').textContent()).toContain('5');
    } finally {
      await proxy.close();
    }
  });

  it('shows a QR code that decodes to the upload address', async () => {
    await send(await guest(), 'So there is a show');
    const wall = await chromium.openPage(server.url, '/?layout=slideshow');
    await wall.getByTestId('join-qr').waitFor({ timeout: 10_000 });
    await wall.waitForTimeout(1_000);
    const png = await wall.screenshot();
    const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const code = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height);
    expect(code?.data).toBe(`http://192.0.2.10:${new URL(server.url).port}/upload`);
  });
});

