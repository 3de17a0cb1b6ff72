import { type WallLayout } from '@photobook/shared';
import { photo } from '../../testing/fake-socket';
import { WallHarness } from './testing/wall-harness';

/** The wall following the host's settings live: title, captions, join card, count, and the pause. */
describe('WallPage with the host settings', () => {
  let wall: WallHarness;

  beforeEach(() => {
    wall = new WallHarness();
    wall.snapshot = { photos: [photo(2), photo(1)], seq: 2 };
  });

  it("shows the event's title while showTitle is on and the title is not empty, and follows changes live", async () => {
    await wall.render();
    expect(wall.q('wall-title')).toBeNull();

    await wall.settings({ title: "Anna & Ben's wedding" });
    expect(wall.text('wall-title')).toBe("Anna & Ben's wedding");
    await wall.settings({ title: 'Anna & Ben, the party' });
    expect(wall.text('wall-title')).toBe('Anna & Ben, the party');

    await wall.settings({ title: 'Anna & Ben, the party', wall: { showTitle: false } });
    expect(wall.q('wall-title')).toBeNull();
    await wall.settings({ title: '', wall: { showTitle: true } });
    expect(wall.q('wall-title')).toBeNull();
  });

  it('shows the title on the empty wall too, above the invitation', async () => {
    wall.snapshot = { photos: [], seq: 0 };
    const root = await wall.render();
    await wall.settings({ title: "Anna & Ben's wedding" });
    expect(root.querySelector('[data-testid="wall-empty"] [data-testid="wall-title"]')?.textContent).toBe("Anna & Ben's wedding");
    expect(root.querySelectorAll('[data-testid="wall-title"]').length).toBe(1);
  });

  it('hides captions and names when showCaptions is off, and brings them back when it is on again', async () => {
    const root = await wall.render();
    await wall.settings({ wall: { showCaptions: false } });
    expect(wall.q('wall-caption')).toBeNull();
    expect(root.textContent).not.toContain('Caption 2');
    expect(root.textContent).not.toContain('Guest 2');
    expect(wall.alts()).toEqual(['Photo from a guest']);

    await wall.settings({ wall: { showCaptions: true } });
    expect(wall.text('wall-caption')).toContain('Caption 2');
    expect(wall.text('wall-caption')).toContain('Guest 2');
    expect(wall.alts()).toEqual(['Caption 2']);
  });

  it('shows a join card with a QR code at least 14% of the screen high, and hides it when showQr is off', async () => {
    await wall.render();
    expect(wall.q('join-hint')?.textContent).toContain(`${location.host}/upload`);
    const qr = wall.q('join-hint')!.querySelector('img')!;
    expect(qr.getBoundingClientRect().height).toBeGreaterThanOrEqual(0.14 * window.innerHeight);

    await wall.settings({ wall: { showQr: false } });
    expect(wall.q('join-hint')).toBeNull();
    expect(wall.root.querySelector('img[src$="qr.svg"]')).toBeNull();

    wall.socket.serverEmit('photo:removed', { id: photo(2).id, seq: 3 });
    wall.socket.serverEmit('photo:removed', { id: photo(1).id, seq: 4 });
    await wall.settle();
    expect(wall.q('wall-empty')).not.toBeNull();
    expect(wall.q('join-qr')).toBeNull();
    expect(wall.text('wall-empty')).not.toContain('/upload');

    await wall.settings({ wall: { showQr: true } });
    expect(wall.q('join-qr')).not.toBeNull();
  });

  it('shows the event\'s total count when showCount is on ("1,234 photos"), following new and removed photos', async () => {
    wall.snapshot = { photos: [photo(2), photo(1)], seq: 2, total: 1_234 };
    await wall.render();
    expect(wall.q('wall-count')).toBeNull(); // the server has not said yet
    await wall.settings({ wall: { showCount: true } });
    expect(wall.text('wall-count')).toBe('1,234 photos');

    wall.socket.serverAddPhoto(photo(3));
    await wall.settle();
    expect(wall.text('wall-count')).toBe('1,235 photos');
    wall.socket.serverAddPhoto(photo(3));
    wall.socket.serverEmit('photo:removed', { id: photo(1).id, seq: 4 });
    await wall.settle();
    expect(wall.text('wall-count')).toBe('1,234 photos');

    await wall.settings({ wall: { showCount: false } });
    expect(wall.q('wall-count')).toBeNull();
  });

  it('says on the wall that uploads are paused, with the host message, and takes it away on resume', async () => {
    await wall.render();
    await wall.settings({ paused: true, pauseMessage: 'Dinner is served, back at 9pm' });
    expect(wall.text('wall-paused')).toBe('Uploads are paused — Dinner is served, back at 9pm');
    await wall.settings({ paused: true, pauseMessage: '' });
    expect(wall.text('wall-paused')).toBe('Uploads are paused');
    await wall.settings({ paused: false });
    expect(wall.q('wall-paused')).toBeNull();
  });

  it('keeps showing photos whatever the layout setting says, falling back to a slideshow for one it does not know', async () => {
    await wall.render();
    for (const layout of ['slideshow', 'mosaic', 'mixed', 'carousel-from-the-future'] as WallLayout[]) {
      await wall.settings({ title: 'Gala', wall: { layout, slideSeconds: 3 } });
      expect(wall.shownIds().length).withContext(layout).toBeGreaterThan(0);
      expect(wall.layout()).withContext(layout).toBe((layout as string) === 'carousel-from-the-future' ? 'slideshow' : layout);
      expect(wall.text('wall-title')).withContext(layout).toBe('Gala');
    }
  });
});
