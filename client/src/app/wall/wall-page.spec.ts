import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { photo } from '../../testing/fake-socket';
import { WallHarness } from './testing/wall-harness';

/** The projector wall's show (slideshow by default): what takes the stage, when, and what leaves. */
describe('WallPage', () => {
  let wall: WallHarness;

  beforeEach(() => (wall = new WallHarness()));

  it('joins from the start and puts the newest photo on stage, full screen, with its caption and name', async () => {
    wall.snapshot = { photos: [photo(3), photo(2), photo(1)], seq: 3 };
    const root = await wall.render();

    expect(wall.socket.requests('wall:join')).toEqual([{ sinceSeq: null }]);
    expect(wall.layout()).toBe('slideshow');
    expect(wall.onStage()).toBe(photo(3).id);
    expect(wall.shownIds()).toEqual([photo(3).id]);
    const shown = root.querySelector('figure[data-testid="wall-photo"]')!;
    expect(shown.querySelector('img')?.getAttribute('src')).toBe('/media/display-3.webp');
    expect(shown.querySelector('.caption')?.textContent).toBe('Caption 3');
    expect(shown.querySelector('.author')?.textContent).toBe('Guest 3');
    expect(wall.q('wall-empty')).toBeNull();
  });

  it('invites guests with a large QR code and the short upload address when there are no photos yet', async () => {
    const root = await wall.render();
    expect(wall.text('wall-empty')).toContain(`${location.host}/upload`);
    expect(wall.q('join-qr')?.getAttribute('src')).toBe('/api/join/qr.svg');
    expect(wall.shownIds()).toEqual([]);
    expect(root.querySelector('[data-testid="wall-stage"]')).toBeNull();
  });

  it('advertises the address the server says phones can reach', async () => {
    await wall.render();
    TestBed.inject(HttpTestingController).expectOne('/api/join').flush({ uploadUrl: 'http://192.168.1.20:3000/upload' });
    await wall.settle();
    expect(wall.text('wall-empty')).toContain('192.168.1.20:3000/upload');
  });

  it('puts a new photo on stage at once, as a "new" moment, and lets the one before fade out', async () => {
    wall.snapshot = { photos: [photo(2), photo(1)], seq: 2 };
    const root = await wall.render();
    await wall.wait(1_000);

    wall.socket.serverAddPhoto(photo(3));
    await wall.settle();
    expect(wall.onStage()).toBe(photo(3).id);
    expect(wall.shownIds()).toEqual([photo(3).id]);
    expect(root.querySelector('.slide.is-new .badge')?.textContent).toBe('New');
    expect(root.querySelectorAll('[data-testid="wall-photo-leaving"]').length).toBe(1);

    await wall.wait(1_500);
    expect(root.querySelectorAll('figure').length).withContext('the old layer left the DOM').toBe(1);
  });

  it('cycles the older photos after its turn, newest first, each slideSeconds', async () => {
    wall.snapshot = { photos: [photo(3), photo(2), photo(1)], seq: 3 };
    await wall.render();
    await wall.settings({ wall: { slideSeconds: 5 } });
    const seen = [wall.onStage()];
    for (let i = 0; i < 3; i++) {
      await wall.wait(5_000);
      seen.push(wall.onStage());
    }
    expect(seen).toEqual([3, 2, 1, 3].map((n) => photo(n).id));
  });

  it('shows a burst from three guests interleaved, each guest in turn', async () => {
    wall.snapshot = { photos: [photo(1)], seq: 1 };
    await wall.render();
    const burst = [2, 3, 4, 5, 6, 7].map((n) => photo(n, { guest: n <= 4 ? 100 : n <= 6 ? 200 : 300 }));
    for (const p of burst) wall.socket.serverAddPhoto(p);
    await wall.settle();
    const seen = [wall.onStage()];
    for (let i = 0; i < 5; i++) {
      await wall.wait(4_000);
      seen.push(wall.onStage());
    }
    expect(seen).toEqual([2, 5, 7, 3, 6, 4].map((n) => photo(n).id));
  });

  it('interleaves by guest a burst it finds when it joins (approved just before), each guest newest first', async () => {
    const guests: Record<number, number> = { 2: 100, 3: 100, 4: 100, 5: 200, 6: 200, 7: 300 };
    wall.snapshot = { photos: [7, 6, 5, 4, 3, 2].map((n) => photo(n, { guest: guests[n] })), seq: 7 };
    await wall.render();
    await wall.settings({ wall: { slideSeconds: 5 } });
    const seen = [wall.onStage()];
    for (let i = 0; i < 5; i++) {
      await wall.wait(5_000);
      seen.push(wall.onStage());
    }
    expect(seen).toEqual([7, 6, 4, 5, 3, 2].map((n) => photo(n).id));
  });

  it('takes a removed photo off the stage at once, even mid-fade, and the next one takes its place', async () => {
    wall.snapshot = { photos: [photo(3), photo(2), photo(1)], seq: 3 };
    const root = await wall.render();

    wall.socket.serverEmit('photo:removed', { id: photo(3).id, seq: 4 });
    await wall.settle();
    expect(root.querySelector(`[data-photo-id="${photo(3).id}"]`)).toBeNull();
    expect(wall.onStage()).toBe(photo(2).id);

    wall.socket.serverEmit('photo:removed', { id: photo(2).id, seq: 5 });
    wall.socket.serverEmit('photo:removed', { id: photo(1).id, seq: 6 });
    await wall.settle();
    expect(wall.shownIds()).toEqual([]);
    expect(root.querySelectorAll('figure').length).toBe(0);
    expect(wall.q('wall-empty')).not.toBeNull();
  });

  it('changes the caption on stage in place when the photo is edited', async () => {
    wall.snapshot = { photos: [photo(2), photo(1)], seq: 2 };
    const root = await wall.render();
    const figure = root.querySelector('figure[data-testid="wall-photo"]');

    wall.socket.serverEmit('photo:updated', photo(2, { seq: 3, caption: 'Cake!', author: 'Ann' }));
    await wall.settle();
    expect(root.querySelector('figure[data-testid="wall-photo"]')).toBe(figure);
    expect(figure?.querySelector('.caption')?.textContent).toBe('Cake!');
    expect(figure?.querySelector('.author')?.textContent).toBe('Ann');
    expect(figure?.querySelector('img')?.getAttribute('alt')).toBe('Cake!');
  });

  it('ignores a late, older copy: a stale edit keeps the newer caption, a removed photo stays gone', async () => {
    wall.snapshot = { photos: [photo(2), photo(1)], seq: 2 };
    const root = await wall.render();

    wall.socket.serverEmit('photo:updated', photo(2, { seq: 6, caption: 'Newest words' }));
    wall.socket.serverEmit('photo:updated', photo(2, { seq: 4, caption: 'Older words' }));
    wall.socket.serverEmit('photo:removed', { id: photo(1).id, seq: 7 });
    wall.socket.serverEmit('photo:added', photo(1));
    await wall.settle();
    await wall.wait(20_000);

    expect(wall.onStage()).toBe(photo(2).id);
    expect(root.querySelector('.caption')?.textContent).toBe('Newest words');
    expect(root.querySelector(`[data-photo-id="${photo(1).id}"]`)).toBeNull();
  });

  it('skips a photo whose image does not load, and drops it after a second try instead of retrying forever', async () => {
    wall.images.broken.add('/media/display-3.webp');
    wall.snapshot = { photos: [photo(3), photo(2), photo(1)], seq: 3 };
    const root = await wall.render();
    expect(wall.onStage()).toBe(photo(2).id);

    const seen = new Set<string | null>();
    // Until the next catch-up (60 s): tried twice, then off the show.
    for (let i = 0; i < 7; i++) {
      await wall.wait(8_000);
      seen.add(wall.onStage());
    }
    expect(seen).toEqual(new Set([photo(2).id, photo(1).id]));
    expect(wall.images.timesRequested('/media/display-3.webp')).toBe(2);
    expect(root.querySelector(`[data-photo-id="${photo(3).id}"]`)).toBeNull();
    // A catch-up gives it another chance (slow Wi-Fi must not take a guest's photo off for the night).
    for (let i = 0; i < 6; i++) await wall.wait(8_000);
    expect(wall.images.timesRequested('/media/display-3.webp')).toBeGreaterThan(2);
  });

  it('shows the offline badge while disconnected, then rejoins from the position the server last answered and shows what it missed as new', async () => {
    wall.snapshot = { photos: [photo(2), photo(1)], seq: 2 };
    await wall.render();
    wall.socket.serverAddPhoto(photo(3));
    await wall.settle();

    wall.socket.serverDisconnect();
    await wall.settle();
    expect(wall.q('wall-offline')).not.toBeNull();

    wall.snapshot = { photos: [photo(4)], removed: [photo(3).id], seq: 5, full: false, total: 3 };
    wall.socket.serverConnect();
    await wall.settle();
    // Not the live photo's 3: with several replicas a change below it may still be on its way.
    expect(wall.socket.requests('wall:join')).toEqual([{ sinceSeq: null }, { sinceSeq: 2 }]);
    expect(wall.q('wall-offline')).toBeNull();
    expect(wall.onStage()).toBe(photo(4).id);
    expect(wall.root.querySelector('.slide.is-new')).not.toBeNull();
  });

  it('catches up every 60 s while connected, healing a broadcast it missed', async () => {
    wall.snapshot = { photos: [photo(2), photo(1)], seq: 2 };
    await wall.render();
    wall.snapshot = { photos: [photo(3)], seq: 3, full: false, total: 3 };

    await wall.wait(60_000);
    expect(wall.socket.requests('wall:join')).toEqual([{ sinceSeq: null }, { sinceSeq: 2 }]);
    expect(wall.onStage()).toBe(photo(3).id);

    await wall.wait(60_000);
    expect(wall.socket.requests('wall:join').at(-1)).toEqual({ sinceSeq: 3 });
  });

  it('catches up at once when the server says its feed resumed, from the position it last answered, like the periodic catch-up', async () => {
    wall.snapshot = { photos: [photo(2), photo(1)], seq: 2 };
    await wall.render();
    wall.socket.serverAddPhoto(photo(3));
    await wall.settle();
    // Photo 4 was broadcast while the link between replicas was down: this wall never heard of it.
    wall.snapshot = { photos: [photo(4)], seq: 4, full: false, total: 4 };

    wall.socket.serverEmit('feed:resumed', undefined);
    await wall.settle();
    // No reconnect and no waiting for the minute: the same catch-up, from seq 2 and not the live 3.
    expect(wall.socket.requests('wall:join')).toEqual([{ sinceSeq: null }, { sinceSeq: 2 }]);
    // The live photo 3 keeps its turn on stage; the one it missed follows as new.
    await wall.wait(8_000);
    expect(wall.onStage()).toBe(photo(4).id);
    expect(wall.root.querySelector('.slide.is-new')).not.toBeNull();

    await wall.wait(60_000);
    expect(wall.socket.requests('wall:join').at(-1)).toEqual({ sinceSeq: 4 });
  });

  it('replaces everything it held when a rejoin answers full:true (it missed too much)', async () => {
    wall.snapshot = { photos: [photo(3), photo(2), photo(1)], seq: 3 };
    await wall.render();
    expect(wall.onStage()).toBe(photo(3).id);

    wall.socket.serverDisconnect();
    wall.snapshot = { photos: [photo(9), photo(8)], seq: 20, full: true, total: 2 };
    wall.socket.serverConnect();
    await wall.settle();
    expect(wall.onStage()).toBe(photo(9).id);

    const seen = new Set<string | null>();
    for (let i = 0; i < 6; i++) {
      await wall.wait(8_000);
      seen.add(wall.onStage());
    }
    expect(seen).toEqual(new Set([photo(9).id, photo(8).id]));
  });

  it('keeps a photo that came back live while its rejoin snapshot still listed it as removed', async () => {
    wall.snapshot = { photos: [photo(2), photo(1)], seq: 2 };
    await wall.render();
    wall.socket.serverDisconnect();
    await wall.settle();

    // The snapshot was taken at seq 4; the host un-hid photo 1 at seq 5, just before the reply.
    const handler = wall.socket.handler;
    wall.socket.handler = (event, payload) => {
      if (event !== 'wall:join') return handler(event, payload);
      wall.socket.serverEmit('photo:updated', photo(1, { seq: 5 }));
      return { ok: true, value: { photos: [], removed: [photo(1).id], seq: 4, full: false, total: 2 } };
    };
    wall.socket.serverConnect();
    await wall.settle();
    await wall.wait(8_000);
    expect(wall.onStage()).toBe(photo(1).id);
  });

  it('hides the pointer after 3 s without movement, and shows it again when it moves', async () => {
    wall.snapshot = { photos: [photo(1)], seq: 1 };
    const root = await wall.render();
    const host = root as HTMLElement;
    expect(host.classList).not.toContain('cursor-hidden');
    await wall.wait(3_000);
    expect(host.classList).toContain('cursor-hidden');
    document.dispatchEvent(new PointerEvent('pointermove'));
    await wall.settle();
    expect(host.classList).not.toContain('cursor-hidden');
  });
});
