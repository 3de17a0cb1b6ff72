import type { PhotoDto } from '@photobook/shared';
import { photo } from '../../testing/fake-socket';
import { WallHarness } from './testing/wall-harness';
import type { WallShow } from './wall-show';

const photos = (from: number, to: number): PhotoDto[] => {
  const out: PhotoDto[] = [];
  for (let n = to; n >= from; n--) out.push(photo(n));
  return out;
};

/** The full-screen join card in the show (default timing: every 4 minutes for 12 s, after 90 s idle), and the codes' sizes. */
describe('WallPage join card', () => {
  let wall: WallHarness;
  const show = () => (wall.fixture.componentInstance as unknown as { show: WallShow }).show;
  /** The card holds the screen now (not fading out). */
  const cardUp = () => show().joinCard()?.leavingSince === null;

  /** Runs the show, adding a new photo every `newEveryMs` (never idle) from seq `next` on; returns when the card was up, to the second. */
  async function watch(ms: number, newEveryMs: number | null, next = { seq: 100 }): Promise<{ at: number[]; seconds: number }> {
    const start = wall.clock.now();
    const upAt: number[] = [];
    let lastNew = start;
    let was = false;
    await wall.run(ms, () => {
      const now = wall.clock.now();
      if (newEveryMs !== null && now - lastNew >= newEveryMs) {
        lastNew = now;
        wall.socket.serverAddPhoto(photo(next.seq++));
      }
      const up = cardUp();
      if (up && !was) upAt.push(Math.round((now - start) / 1000));
      was = up;
    });
    return { at: upAt, seconds: ms / 1000 };
  }

  beforeEach(() => {
    wall = new WallHarness('?seconds=5');
    wall.snapshot = { photos: photos(1, 6), seq: 6 };
  });

  it('comes every 4 minutes for 12 s while new photos keep the wall busy, as a turn of the show (photos wait under it)', async () => {
    await wall.render();
    const { at } = await watch(9 * 60_000, 60_000);
    expect(at.length).withContext(`card at ${at.join(', ')} s`).toBe(2);
    expect(at[0]).toBeGreaterThanOrEqual(240);
    expect(at[0]).toBeLessThanOrEqual(246);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(240 + 12);
    expect(at[1]! - at[0]!).toBeLessThanOrEqual(240 + 12 + 6);

    // Its 12 seconds: the card on screen (line, address, code), no photo placed meanwhile.
    for (let waited = 0; !cardUp() && waited < 5 * 60_000; waited += 250) await wall.run(250);
    await wall.settle();
    const staged = wall.onStage();
    expect(wall.q('join-screen')).not.toBeNull();
    expect(wall.text('join-line')).toBe('Scan to add your photos');
    expect(wall.text('join-address')).toBe(`${location.host}/upload`);
    expect(wall.q('join-hint')).withContext('no corner card under the big one').toBeNull();
    await wall.wait(10_000);
    expect(wall.onStage()).withContext('the photos waited').toBe(staged);
    await wall.wait(3_000);
    expect(cardUp()).toBeFalse();
    expect(wall.onStage()).withContext('the next photo takes the turn after the card').not.toBe(staged);
    await wall.wait(1_500);
    expect(wall.q('join-screen')).withContext('gone once faded').toBeNull();
    expect(wall.q('join-hint')).not.toBeNull();
  });

  it('comes when the wall idles: 90 s without a new photo, then every 90 s', async () => {
    await wall.render();
    const { at } = await watch(5 * 60_000, null);
    expect(at.length).withContext(`card at ${at.join(', ')} s`).toBe(3);
    expect(at[0]).toBeGreaterThanOrEqual(90);
    expect(at[0]).toBeLessThanOrEqual(96);
    for (const gap of [at[1]! - at[0]!, at[2]! - at[1]!]) {
      expect(gap).toBeGreaterThanOrEqual(90 + 12);
      expect(gap).toBeLessThanOrEqual(90 + 12 + 6);
    }
  });

  it('never covers a new photo’s first turn: a new arrival ends the card at once and the card comes back after it', async () => {
    await wall.render();
    for (let waited = 0; !cardUp() && waited < 120_000; waited += 250) await wall.run(250);
    expect(cardUp()).withContext('up after 90 s idle').toBeTrue();
    await wall.run(2_000);
    wall.socket.serverAddPhoto(photo(50));
    await wall.settle();
    expect(cardUp()).toBeFalse();
    expect(wall.onStage()).toBe(photo(50).id);
    expect(wall.root.querySelector('.slide.is-new')).not.toBeNull();
    // Its whole first turn (5 s) with no card; then the card it cut short comes back.
    let back = -1;
    for (let t = 0; t < 15_000 && back < 0; t += 250) {
      await wall.run(250);
      if (cardUp()) back = t;
    }
    expect(back).toBeGreaterThanOrEqual(5_000 - 250);
    expect(back).toBeLessThan(6_500);
  });

  it('waits while new photos keep coming, covering none in its first turn, and comes once they stop', async () => {
    await wall.render();
    const covered: string[] = [];
    let seq = 200;
    let newId: string | null = null;
    let newSince = -Infinity;
    const check = (adding: boolean) => () => {
      const now = wall.clock.now();
      // A new photo every 4 s, less than a turn: never a turn without a new photo's moment.
      if (adding && now % 4_000 < 250) wall.socket.serverAddPhoto(photo(seq++));
      const current = show().current();
      const slide = show().slides().find((s) => s.photo.id === current && s.leavingSince === null);
      if (slide?.isNew && current !== newId) [newId, newSince] = [current, now];
      if (cardUp() && now - newSince < 5_000 - 250) covered.push(`${current} at ${now - newSince} ms`);
    };
    await wall.run(5 * 60_000, check(true));
    expect(covered).toEqual([]);
    expect(cardUp()).withContext('no free turn while a new photo came every few seconds').toBeFalse();
    const start = wall.clock.now();
    while (!cardUp() && wall.clock.now() - start < 20_000) await wall.run(250, check(false));
    expect(cardUp()).withContext('owed: it comes once the new photos have had their turns').toBeTrue();
    expect(covered).toEqual([]);
  });

  it('does not come while uploads are paused: the pause message shows instead, with no code; back on resume', async () => {
    await wall.render();
    await wall.settings({ paused: true, pauseMessage: 'Speeches now' });
    const { at } = await watch(6 * 60_000, null);
    expect(at).toEqual([]);
    await wall.settle();
    expect(wall.text('wall-paused')).toBe('Uploads are paused — Speeches now');
    expect(wall.q('join-qr')).toBeNull();
    expect(wall.q('join-hint')).toBeNull();

    await wall.settings({ paused: false });
    const after = await watch(10_000, null);
    await wall.settle();
    expect(after.at.length).withContext('owed all along: at the next turn').toBe(1);
    expect(wall.q('wall-paused')).toBeNull();
    expect(wall.q('join-screen')?.querySelector('[data-testid="join-qr"]')).not.toBeNull();
  });

  it('does not come while the host hides the code (showQr off)', async () => {
    await wall.render();
    await wall.settings({ wall: { showQr: false } });
    const { at } = await watch(6 * 60_000, null);
    expect(at).toEqual([]);
    expect(wall.q('join-qr')).toBeNull();
  });

  it('says the pause on the empty wall instead of its invitation, with no code', async () => {
    wall.snapshot = { photos: [], seq: 0 };
    await wall.render();
    await wall.settings({ paused: true, pauseMessage: 'Back at 9' });
    expect(wall.text('wall-paused')).toBe('Uploads are paused');
    expect(wall.text('wall-pause-message')).toBe('Back at 9');
    expect(wall.q('join-qr')).toBeNull();
    expect(wall.text('wall-empty')).not.toContain('/upload');
  });

  it('sizes the codes by the screen: the corner one 27% of its height (>= 260 px at 1080p), the card’s 56%', async () => {
    await wall.render();
    const h = window.innerHeight;
    const corner = wall.q('join-hint')!.querySelector('img')!.getBoundingClientRect();
    expect(corner.height).toBeCloseTo(0.27 * h, 0);
    expect(corner.height).toBeGreaterThanOrEqual((260 / 1080) * h);
    expect(corner.width).toBeCloseTo(corner.height, 0);
    expect(corner.bottom).toBeLessThanOrEqual(h);

    await watch(100_000, null);
    await wall.settle();
    const card = wall.q('join-screen')!.querySelector('img')!.getBoundingClientRect();
    expect(card.height).toBeGreaterThanOrEqual(0.45 * h);
  });

  it('invites with the same full-screen card while there are no photos yet', async () => {
    wall.snapshot = { photos: [], seq: 0 };
    await wall.render();
    const empty = wall.q('wall-empty')!;
    expect(empty.querySelector('img')!.getBoundingClientRect().height).toBeGreaterThanOrEqual(0.45 * window.innerHeight);
    expect(wall.text('join-line')).toBe('Scan to add your photos');
    expect(wall.text('join-address')).toBe(`${location.host}/upload`);
    expect(empty.textContent).toContain('Your photos appear here within a second.');
    expect(wall.root.querySelectorAll('h1').length).toBe(1);
  });
});
