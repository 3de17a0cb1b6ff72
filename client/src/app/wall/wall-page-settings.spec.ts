import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ok, type PhotoDto, type WallLayout } from '@photobook/shared';
import { FakeSocket, NO_REPLY, flush, photo } from '../../testing/fake-socket';
import { REALTIME_SOCKET_FACTORY } from '../core/realtime.service';
import { MAX_WALL_PHOTOS } from './merge-photos';
import { WallPage } from './wall-page';

/** The wall following the host's settings live: title, captions, join hint, count, and the pause. */
describe('WallPage with the host settings', () => {
  let socket: FakeSocket;
  let fixture: ComponentFixture<WallPage>;
  let root: HTMLElement;
  /** What the fake server answers to the next 'wall:join'. */
  let snapshot: { photos: PhotoDto[]; seq: number };

  beforeEach(() => {
    socket = new FakeSocket();
    snapshot = { photos: [photo(2), photo(1)], seq: 2 };
    socket.handler = (event) => (event === 'wall:join' ? ok({ removed: [], ...snapshot }) : NO_REPLY);
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: REALTIME_SOCKET_FACTORY, useValue: () => socket },
      ],
    });
  });

  async function settle(): Promise<void> {
    await flush();
    await fixture.whenStable();
  }

  async function render(): Promise<void> {
    fixture = TestBed.createComponent(WallPage);
    root = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    socket.serverConnect();
    await settle();
  }

  async function settings(...args: Parameters<FakeSocket['serverSettings']>): Promise<void> {
    socket.serverSettings(...args);
    await settle();
  }

  const q = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const text = (id: string) => q(id)?.textContent?.replace(/\s+/g, ' ').trim();
  const shownIds = () => Array.from(root.querySelectorAll('[data-testid="wall-photo"]')).map((el) => el.getAttribute('data-photo-id'));
  const alts = () => Array.from(root.querySelectorAll('[data-testid="wall-photo"] img')).map((img) => img.getAttribute('alt'));

  it("shows the event's title while showTitle is on and the title is not empty, and follows changes live", async () => {
    await render();
    expect(q('wall-title')).toBeNull();

    await settings({ title: "Anna & Ben's wedding" });
    expect(text('wall-title')).toBe("Anna & Ben's wedding");

    await settings({ title: 'Anna & Ben, the party' });
    expect(text('wall-title')).toBe('Anna & Ben, the party');

    await settings({ title: 'Anna & Ben, the party', wall: { showTitle: false } });
    expect(q('wall-title')).toBeNull();
    await settings({ title: '', wall: { showTitle: true } });
    expect(q('wall-title')).toBeNull();
  });

  it('shows the title on the empty wall too, above the invitation', async () => {
    snapshot = { photos: [], seq: 0 };
    await render();
    await settings({ title: "Anna & Ben's wedding" });
    expect(root.querySelector('[data-testid="wall-empty"] [data-testid="wall-title"]')?.textContent).toBe("Anna & Ben's wedding");
    expect(root.querySelectorAll('[data-testid="wall-title"]').length).toBe(1);
  });

  it('hides captions and names when showCaptions is off, and brings them back when it is on again', async () => {
    await render();
    await settings({ wall: { showCaptions: false } });
    expect(q('wall-caption')).toBeNull();
    expect(root.textContent).not.toContain('Caption 2');
    expect(root.textContent).not.toContain('Guest 2');
    expect(alts()).toEqual(['Photo from a guest', 'Photo from a guest']);

    await settings({ wall: { showCaptions: true } });
    expect(text('wall-caption')).toContain('Caption 2');
    expect(text('wall-caption')).toContain('Guest 2');
    expect(alts()).toEqual(['Caption 2', 'Caption 1']);
  });

  it('hides the join QR and address when showQr is off, on a full wall and on an empty one', async () => {
    await render();
    expect(q('join-hint')?.textContent).toContain('/upload');
    await settings({ wall: { showQr: false } });
    expect(q('join-hint')).toBeNull();
    expect(root.querySelector('img[src$="qr.svg"]')).toBeNull();

    socket.serverEmit('photo:removed', { id: photo(2).id, seq: 3 });
    socket.serverEmit('photo:removed', { id: photo(1).id, seq: 4 });
    await settle();
    expect(q('wall-empty')).not.toBeNull();
    expect(q('join-qr')).toBeNull();
    expect(text('wall-empty')).not.toContain('/upload');

    await settings({ wall: { showQr: true } });
    expect(q('join-qr')).not.toBeNull();
  });

  it('shows a discreet photo count when showCount is on, following new photos, and says "at least" beyond what it holds', async () => {
    await render();
    expect(q('wall-count')).toBeNull(); // the server has not said yet
    await settings({ wall: { showCount: true } });
    expect(text('wall-count')).toBe('2 photos');

    socket.serverAddPhoto(photo(3));
    await settle();
    expect(text('wall-count')).toBe('3 photos');

    await settings({ wall: { showCount: false } });
    expect(q('wall-count')).toBeNull();

    socket.serverDisconnect();
    snapshot = { photos: Array.from({ length: MAX_WALL_PHOTOS }, (_, i) => photo(1000 - i)), seq: 1000 };
    socket.serverConnect();
    await settings({ wall: { showCount: true } });
    expect(text('wall-count')).toBe(`${MAX_WALL_PHOTOS}+ photos`);
  });

  it("says uploads are paused with the host's words, so guests stop trying, and clears it on resume", async () => {
    await render();
    expect(q('wall-paused')).toBeNull();

    await settings({ paused: true, pauseMessage: 'Speeches now, back at 9pm' });
    expect(text('wall-paused')).toBe('Uploads are paused — Speeches now, back at 9pm');

    await settings({ paused: true, pauseMessage: '' });
    expect(text('wall-paused')).toBe('Uploads are paused');

    await settings({ paused: false });
    expect(q('wall-paused')).toBeNull();
  });

  it('keeps showing photos whatever the layout setting says, even one it does not know', async () => {
    await render();
    for (const layout of ['slideshow', 'mosaic', 'mixed', 'carousel-from-the-future'] as WallLayout[]) {
      await settings({ title: 'Gala', wall: { layout, slideSeconds: 3 } });
      expect(shownIds()).withContext(layout).toEqual([photo(2).id, photo(1).id]);
      expect(text('wall-title')).withContext(layout).toBe('Gala');
    }
  });
});
