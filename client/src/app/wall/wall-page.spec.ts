import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ok, type PhotoDto } from '@photobook/shared';
import { FakeSocket, NO_REPLY, flush, photo } from '../../testing/fake-socket';
import { REALTIME_SOCKET_FACTORY } from '../core/realtime.service';
import { WallPage } from './wall-page';

describe('WallPage', () => {
  let socket: FakeSocket;
  let fixture: ComponentFixture<WallPage>;
  /** What the fake server answers to the next 'wall:join'. */
  let snapshot: { photos: PhotoDto[]; removed?: string[]; seq: number };

  beforeEach(() => {
    socket = new FakeSocket();
    snapshot = { photos: [], seq: 0 };
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

  async function renderConnected(): Promise<HTMLElement> {
    fixture = TestBed.createComponent(WallPage);
    await fixture.whenStable();
    socket.serverConnect();
    await settle();
    return fixture.nativeElement as HTMLElement;
  }

  const shownIds = (root: HTMLElement) =>
    Array.from(root.querySelectorAll('[data-testid="wall-photo"]')).map((el) => el.getAttribute('data-photo-id'));

  it('joins from the start and shows the snapshot newest first, the newest one large', async () => {
    snapshot = { photos: [photo(3), photo(2), photo(1)], seq: 3 };
    const root = await renderConnected();

    expect(socket.requests('wall:join')).toEqual([{ sinceSeq: null }]);
    expect(shownIds(root)).toEqual([photo(3).id, photo(2).id, photo(1).id]);
    const featured = root.querySelector('[data-testid="wall-photo"]')!;
    expect(featured.querySelector('img')?.getAttribute('src')).toBe('/media/display-3.webp');
    expect(featured.textContent).toContain('Caption 3');
    expect(featured.textContent).toContain('Guest 3');
    const tile = root.querySelector(`[data-photo-id="${photo(2).id}"] img`);
    expect(tile?.getAttribute('src')).toBe('/media/thumb-2.webp');
  });

  it('invites guests to the upload page when there are no photos yet', async () => {
    const root = await renderConnected();
    const empty = root.querySelector('[data-testid="wall-empty"]');
    expect(empty?.textContent).toContain(`add your photos at ${location.origin}/upload`);
    expect(empty?.querySelector('[data-testid="join-qr"]')?.getAttribute('src')).toBe('/api/join/qr.svg');
    expect(shownIds(root)).toEqual([]);
  });

  it('advertises the address the server says phones can reach', async () => {
    const root = await renderConnected();
    TestBed.inject(HttpTestingController).expectOne('/api/join').flush({ uploadUrl: 'http://192.168.1.20:3000/upload' });
    await settle();
    expect(root.querySelector('[data-testid="wall-empty"]')?.textContent).toContain('http://192.168.1.20:3000/upload');
  });

  it('puts a live photo in front without a reload', async () => {
    snapshot = { photos: [photo(1)], seq: 1 };
    const root = await renderConnected();

    socket.serverAddPhoto(photo(2));
    await settle();

    expect(shownIds(root)).toEqual([photo(2).id, photo(1).id]);
    expect(root.querySelector('[data-testid="wall-photo"] img')?.getAttribute('src')).toBe('/media/display-2.webp');
    expect(root.querySelector('[data-testid="wall-empty"]')).toBeNull();
  });

  it('shows a photo delivered twice only once, and keeps seq order when one arrives late', async () => {
    snapshot = { photos: [photo(1)], seq: 1 };
    const root = await renderConnected();

    socket.serverAddPhoto(photo(3));
    socket.serverAddPhoto(photo(3));
    socket.serverAddPhoto(photo(2));
    await settle();

    expect(shownIds(root)).toEqual([photo(3).id, photo(2).id, photo(1).id]);
  });

  it('re-joins after a reconnect from the highest seq seen and adds what it missed', async () => {
    snapshot = { photos: [photo(2), photo(1)], seq: 2 };
    const root = await renderConnected();
    socket.serverAddPhoto(photo(3));
    await settle();

    socket.serverDisconnect();
    await settle();
    expect(root.querySelector('[data-testid="wall-offline"]')).not.toBeNull();

    snapshot = { photos: [photo(5), photo(4)], seq: 5 };
    socket.serverConnect();
    await settle();

    expect(socket.requests('wall:join')).toEqual([{ sinceSeq: null }, { sinceSeq: 3 }]);
    expect(shownIds(root)).toEqual([5, 4, 3, 2, 1].map((seq) => photo(seq).id));
    expect(root.querySelector('[data-testid="wall-offline"]')).toBeNull();
  });

  it('keeps at most 200 photos in memory, dropping the oldest', async () => {
    snapshot = { photos: Array.from({ length: 200 }, (_, i) => photo(200 - i)), seq: 200 };
    await renderConnected();
    socket.serverAddPhoto(photo(201));
    await settle();

    const feed = (fixture.componentInstance as unknown as { feed: { photos(): PhotoDto[] } }).feed.photos();
    expect(feed.length).toBe(200);
    expect(feed[0]?.seq).toBe(201);
    expect(feed.at(-1)?.seq).toBe(2);
  });

  it('shows the upload address in a corner while photos are on screen', async () => {
    snapshot = { photos: [photo(1)], seq: 1 };
    const root = await renderConnected();
    expect(root.querySelector('.hint')?.textContent).toContain(`${location.origin}/upload`);
  });

  const featuredCaption = (root: HTMLElement) => root.querySelector('.featured .caption')?.textContent?.trim();

  it('changes a caption and name in place when a photo is edited, without bringing it to the front', async () => {
    snapshot = { photos: [photo(3), photo(2), photo(1)], seq: 3 };
    const root = await renderConnected();

    socket.serverEmit('photo:updated', photo(1, { seq: 4, caption: 'Fixed typo', author: 'Ann' }));
    socket.serverEmit('photo:updated', photo(3, { seq: 5, caption: 'Cake!' }));
    await settle();

    expect(shownIds(root)).toEqual([photo(3).id, photo(2).id, photo(1).id]);
    expect(featuredCaption(root)).toBe('Cake!');
    const feed = (fixture.componentInstance as unknown as { feed: { photos(): PhotoDto[] } }).feed.photos();
    expect(feed[2]).toEqual(jasmine.objectContaining({ caption: 'Fixed typo', author: 'Ann', seq: 4 }));
  });

  it('shows a photo that came (back) onto the wall, in its place by upload time', async () => {
    snapshot = { photos: [photo(3), photo(1)], seq: 3 };
    const root = await renderConnected();

    socket.serverEmit('photo:updated', photo(2, { seq: 4 }));
    await settle();

    expect(shownIds(root)).toEqual([photo(3).id, photo(2).id, photo(1).id]);
  });

  it('takes a removed or hidden photo off the wall at once, and the next one takes the big spot', async () => {
    snapshot = { photos: [photo(3), photo(2), photo(1)], seq: 3 };
    const root = await renderConnected();

    socket.serverEmit('photo:removed', { id: photo(3).id, seq: 4 });
    await settle();
    expect(shownIds(root)).toEqual([photo(2).id, photo(1).id]);
    expect(featuredCaption(root)).toBe('Caption 2');

    socket.serverEmit('photo:removed', { id: photo(2).id, seq: 5 });
    socket.serverEmit('photo:removed', { id: photo(1).id, seq: 6 });
    await settle();
    expect(shownIds(root)).toEqual([]);
    expect(root.querySelector('[data-testid="wall-empty"]')).not.toBeNull();
  });

  it('ignores a late, older copy: a stale edit keeps the newer caption, a removed photo stays gone', async () => {
    snapshot = { photos: [photo(2), photo(1)], seq: 2 };
    const root = await renderConnected();

    socket.serverEmit('photo:updated', photo(2, { seq: 6, caption: 'Newest words' }));
    socket.serverEmit('photo:updated', photo(2, { seq: 4, caption: 'Older words' }));
    socket.serverEmit('photo:removed', { id: photo(1).id, seq: 7 });
    socket.serverEmit('photo:added', photo(1));
    await settle();

    expect(shownIds(root)).toEqual([photo(2).id]);
    expect(featuredCaption(root)).toBe('Newest words');
  });

  it('re-joins after a reconnect and applies what changed meanwhile: new, edited and removed photos', async () => {
    snapshot = { photos: [photo(3), photo(2), photo(1)], seq: 3 };
    const root = await renderConnected();
    socket.serverDisconnect();
    await settle();

    snapshot = {
      photos: [photo(6), photo(1, { seq: 5, caption: 'Edited while away' })],
      removed: [photo(2).id, photo(3).id, 'photoNeverSeen'],
      seq: 7,
    };
    socket.serverConnect();
    await settle();

    expect(socket.requests('wall:join')).toEqual([{ sinceSeq: null }, { sinceSeq: 3 }]);
    expect(shownIds(root)).toEqual([photo(6).id, photo(1).id]);
    expect(root.querySelector(`[data-photo-id="${photo(1).id}"] img`)?.getAttribute('alt')).toBe('Edited while away');

    socket.serverDisconnect();
    socket.serverConnect();
    await settle();
    expect(socket.requests('wall:join').at(-1)).toEqual({ sinceSeq: 7 });
  });

  it('keeps a photo that came back live while its rejoin snapshot still listed it as removed', async () => {
    snapshot = { photos: [photo(2), photo(1)], seq: 2 };
    const root = await renderConnected();
    socket.serverDisconnect();
    await settle();

    // The snapshot was taken at seq 4; the host un-hid photo 1 at seq 5, just before the reply.
    socket.handler = (event) => {
      if (event !== 'wall:join') return NO_REPLY;
      socket.serverEmit('photo:updated', photo(1, { seq: 5 }));
      return ok({ photos: [], removed: [photo(1).id], seq: 4 });
    };
    socket.serverConnect();
    await settle();

    expect(shownIds(root)).toEqual([photo(2).id, photo(1).id]);
  });
});
