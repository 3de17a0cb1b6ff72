import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ErrorCode, err, type PhotoDto } from '@photobook/shared';
import { FakeSocket, flush, photo } from '../../testing/fake-socket';
import { REALTIME_SOCKET_FACTORY } from '../core/realtime.service';
import { FakeClock } from '../wall/testing/wall-harness';
import { WALL_CLOCK } from '../wall/wall-clock';
import { GALLERY_CATCH_UP_MS, GalleryFeed, PAGE_RETRY_MS } from './gallery-feed';
import { FakeWallServer } from './testing/fake-wall-server';

/** The gallery's store: the wall's feed (join, live facts, catch-up, pages) as a newest-first list. */
describe('GalleryFeed', () => {
  let socket: FakeSocket;
  let server: FakeWallServer;
  let clock: FakeClock;

  beforeEach(() => {
    socket = new FakeSocket();
    socket.connected = true;
    server = new FakeWallServer(socket);
    clock = new FakeClock();
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        GalleryFeed,
        { provide: REALTIME_SOCKET_FACTORY, useValue: () => socket },
        { provide: WALL_CLOCK, useValue: clock },
      ],
    });
  });

  async function start(): Promise<GalleryFeed> {
    const feed = TestBed.inject(GalleryFeed);
    await flush();
    return feed;
  }
  const ids = (photos: readonly PhotoDto[]) => photos.map((p) => p.id);
  const newestFirst = (...seqs: number[]) => seqs.map((n) => photo(n).id);
  const pages = () => socket.requests('wall:page');

  it('joins the wall feed from scratch and, when the answer holds the whole wall, shows it newest first without a page', async () => {
    server.seed(3);
    const feed = await start();
    expect(socket.requests('wall:join')).toEqual([{ sinceSeq: null }]);
    expect(ids(feed.photos())).toEqual(newestFirst(3, 2, 1));
    expect(feed.loaded()).toBeTrue();
    expect(feed.hasMore()).toBeFalse();
    expect(feed.total()).toBe(3);
    expect(pages()).toEqual([]);
  });

  it('is loaded and empty on an empty wall', async () => {
    const feed = await start();
    expect(feed.loaded()).toBeTrue();
    expect(feed.empty()).toBeTrue();
  });

  it('puts a new photo on top, edits in place, and drops a removed one, as they happen', async () => {
    server.seed(3);
    const feed = await start();

    server.add();
    expect(ids(feed.photos())).toEqual(newestFirst(4, 3, 2, 1));
    expect(feed.total()).toBe(4);

    server.edit(photo(2).id, { caption: 'Cake!' });
    expect(ids(feed.photos())).withContext('an edit does not move the photo').toEqual(newestFirst(4, 3, 2, 1));
    expect(feed.get(photo(2).id)?.caption).toBe('Cake!');

    server.remove(photo(3).id);
    expect(ids(feed.photos())).toEqual(newestFirst(4, 2, 1));
    expect(feed.total()).toBe(3);
    expect(feed.empty()).toBeFalse();
  });

  it('puts a photo that comes back onto the wall (approved, unhidden) in its place by upload time, not on top', async () => {
    server.seed(4);
    const feed = await start();
    server.remove(photo(2).id);
    expect(ids(feed.photos())).toEqual(newestFirst(4, 3, 1));

    server.edit(photo(2).id, photo(2));
    expect(ids(feed.photos())).toEqual(newestFirst(4, 3, 2, 1));
  });

  it('never lets an older copy bring back a removed photo, nor undo a newer edit', async () => {
    server.seed(2);
    const feed = await start();
    const stale = feed.get(photo(1).id)!;
    server.remove(photo(1).id);
    server.edit(photo(2).id, { caption: 'New words' });
    // A late duplicate of what the gallery already moved past.
    socket.serverEmit('photo:updated', stale);
    socket.serverEmit('photo:updated', { ...photo(2), seq: 2, caption: 'Old words' });
    expect(ids(feed.photos())).toEqual(newestFirst(2));
    expect(feed.get(photo(2).id)?.caption).toBe('New words');
  });

  it('catches up from its last position when the server says its feed resumed, with the broadcasts of the gap lost', async () => {
    server.seed(3);
    const feed = await start();
    server.live = false;
    const added = server.add();
    server.edit(photo(1).id, { caption: 'Edited during the gap' });
    server.remove(photo(2).id);
    expect(ids(feed.photos())).withContext('nothing arrived live').toEqual(newestFirst(3, 2, 1));

    socket.serverEmit('feed:resumed', undefined);
    await flush();
    expect(socket.requests('wall:join')).toEqual([{ sinceSeq: null }, { sinceSeq: 3 }]);
    expect(ids(feed.photos())).toEqual([added.id, photo(3).id, photo(1).id]);
    expect(feed.get(photo(1).id)?.caption).toBe('Edited during the gap');
    expect(feed.total()).toBe(3);
  });

  it('rejoins from its last position after a reconnect, and asks for changes every minute', async () => {
    server.seed(2);
    const feed = await start();
    server.live = false;
    server.add();
    socket.serverDisconnect();
    socket.serverConnect();
    await flush();
    expect(socket.requests('wall:join').at(-1)).toEqual({ sinceSeq: 2 });
    expect(ids(feed.photos())).toEqual(newestFirst(3, 2, 1));

    server.add();
    clock.advance(GALLERY_CATCH_UP_MS);
    await flush();
    expect(socket.requests('wall:join').at(-1)).toEqual({ sinceSeq: 3 });
    expect(ids(feed.photos())).toEqual(newestFirst(4, 3, 2, 1));
  });

  it('pages a large wall newest first: the first page at once, the next ones when asked, until the oldest photo', async () => {
    server.seed(450);
    server.snapshotLimit = 200;
    server.pageLimit = 100;
    const feed = await start();
    expect(pages()).toEqual([{ cursor: null, limit: 200 }]);
    expect(ids(feed.photos())).toEqual(newestFirst(...range(450, 351)));
    expect(feed.total()).toBe(450);
    expect(feed.hasMore()).toBeTrue();

    feed.loadMore();
    feed.loadMore(); // one page at a time
    await flush();
    expect(pages().length).toBe(2);
    expect(pages()[1].cursor).toBe(`${photo(351).createdAt}_${photo(351).id}`);
    expect(feed.photos().length).toBe(200);

    for (let i = 0; i < 5; i++) {
      feed.loadMore();
      await flush();
    }
    expect(pages().length).withContext('no page after the last one').toBe(5);
    expect(ids(feed.photos())).toEqual(newestFirst(...range(450, 1)));
    expect(feed.hasMore()).toBeFalse();
  });

  it('shows only a gap-free run: a photo from the join answer older than the pages fetched waits for its page', async () => {
    server.seed(300);
    server.edit(photo(5).id, { caption: 'Edited late' }); // now among the newest by seq
    server.snapshotLimit = 50;
    server.pageLimit = 100;
    const feed = await start();
    expect(feed.get(photo(5).id)?.caption).toBe('Edited late');
    expect(ids(feed.photos())).toEqual(newestFirst(...range(300, 201)));

    for (let i = 0; i < 3; i++) {
      feed.loadMore();
      await flush();
    }
    expect(ids(feed.photos())).toEqual(newestFirst(...range(300, 1)));
  });

  it('counts a photo that comes back onto the wall, but not an edit of an older photo that no page brought yet', async () => {
    server.seed(300);
    server.snapshotLimit = 50;
    server.pageLimit = 100;
    const feed = await start();
    expect(feed.total()).toBe(300);
    server.edit(photo(5).id, { caption: 'Edited, far below what is shown' });
    expect(feed.total()).toBe(300);
    server.remove(photo(250).id);
    expect(feed.total()).toBe(299);
    server.edit(photo(250).id, photo(250));
    expect(feed.total()).toBe(300);
    expect(feed.photos().length).toBe(100);
  });

  it('keeps live photos that arrive while a page is on its way, and a removal beats the page that still had it', async () => {
    server.seed(250);
    server.snapshotLimit = 10;
    server.pageLimit = 100;
    let answer: () => void = () => undefined;
    // The first page is read now (with photo 249 in it) and answered after the live facts below.
    server.intercept = (event, payload) => {
      if (event !== 'wall:page' || payload.cursor !== null) return undefined;
      const reply = server.answer(event, payload);
      return new Promise((resolve) => (answer = () => resolve(reply)));
    };
    const feed = await start();
    server.intercept = null;
    server.remove(photo(249).id);
    const added = server.add();
    answer();
    await flush();
    expect(feed.photos()[0]?.id).toBe(added.id);
    expect(ids(feed.photos())).not.toContain(photo(249).id);
    expect(feed.photos().length).toBe(100);
  });

  it('tries a failed page again by itself, later each time, and says so meanwhile', async () => {
    server.seed(300);
    server.snapshotLimit = 50;
    let failures = 2;
    server.intercept = (event) => (event === 'wall:page' && failures-- > 0 ? err(ErrorCode.Internal, 'db down') : undefined);
    const feed = await start();
    expect(feed.pageFailed()).toBeTrue();
    expect(feed.loaded()).toBeTrue();
    expect(feed.photos()).toEqual([]);

    clock.advance(PAGE_RETRY_MS);
    await flush();
    expect(pages().length).toBe(2);
    clock.advance(PAGE_RETRY_MS);
    await flush();
    expect(pages().length).withContext('the second wait is longer').toBe(2);
    clock.advance(PAGE_RETRY_MS);
    await flush();
    expect(pages().length).toBe(3);
    expect(feed.pageFailed()).toBeFalse();
    expect(feed.photos().length).toBe(200);
  });
});

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let n = from; n >= to; n--) out.push(n);
  return out;
}
