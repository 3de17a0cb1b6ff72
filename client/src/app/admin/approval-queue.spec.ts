import { ErrorCode, err } from '@photobook/shared';
import { AdminHarness } from './testing/admin-harness';
import { adminPhoto } from './testing/fake-admin-socket';

describe('Admin approval queue', () => {
  let page: AdminHarness;
  const id = (seq: number) => adminPhoto(seq).id;
  const current = () => page.q('queue-current')?.getAttribute('data-photo-id');
  const moderated = () => page.socket.requests('admin:moderate');

  beforeEach(() => {
    page = new AdminHarness();
    page.server.seed(4, (i) => ({ state: i === 4 ? 'visible' : 'pending' }));
  });

  it('shows the oldest waiting photo big, the next ones in a filmstrip, and the count', async () => {
    await page.render('/admin/queue');
    expect(page.socket.requests('admin:photos')[0]).toEqual(jasmine.objectContaining({ state: 'pending', cursor: null }));
    expect(current()).toBe(id(1));
    expect(page.text('queue-caption')).toBe('Caption 1');
    expect(page.all('queue-strip')[0]?.querySelectorAll('li').length).toBe(2);
    expect(page.text('queue-count')).toBe('3 photos waiting');
    expect(page.text('queue-approve')).toContain('A');
  });

  for (const key of ['a', 'A', 'ArrowRight']) {
    it(`approves the current photo with ${key} and moves on at once`, async () => {
      await page.render('/admin/queue');
      await page.key(key);
      expect(moderated()).toEqual([{ id: id(1), state: 'visible' }]);
      expect(current()).toBe(id(2));
      expect(page.text('queue-count')).toBe('2 photos waiting');
    });
  }

  for (const key of ['r', 'h']) {
    it(`hides the current photo with ${key}`, async () => {
      await page.render('/admin/queue');
      await page.key(key);
      expect(moderated()).toEqual([{ id: id(1), state: 'hidden' }]);
      expect(current()).toBe(id(2));
    });
  }

  it('skips with S (no request): the photo goes to the back of the queue', async () => {
    await page.render('/admin/queue');
    await page.key('s');
    expect(moderated()).toEqual([]);
    expect(current()).toBe(id(2));
    await page.key('a');
    await page.key('a');
    expect(current()).toBe(id(1));
    expect(moderated().map((m) => m.id)).toEqual([id(2), id(3)]);
  });

  it('undoes the last decision with Z: the photo waits again and is back in front', async () => {
    await page.render('/admin/queue');
    await page.key('a');
    await page.key('z');
    expect(moderated()).toEqual([
      { id: id(1), state: 'visible' },
      { id: id(1), state: 'pending' },
    ]);
    expect(current()).toBe(id(1));
    expect(page.text('queue-count')).toBe('3 photos waiting');
  });

  it('undoes a skip with Z without asking the server', async () => {
    await page.render('/admin/queue');
    await page.key('s');
    await page.key('z');
    expect(moderated()).toEqual([]);
    expect(current()).toBe(id(1));
  });

  it('ignores letters typed into a field, and keys with a modifier', async () => {
    await page.render('/admin/queue');
    await page.key('a', page.q('pause-message')!);
    page.root.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', ctrlKey: true, bubbles: true }));
    await page.settle();
    expect(moderated()).toEqual([]);
  });

  it('puts the photo back when the server refuses, and says why', async () => {
    page.server.intercept = (event) => (event === 'admin:moderate' ? err(ErrorCode.Internal, 'db down') : undefined);
    await page.render('/admin/queue');
    await page.click(page.q('queue-approve'));
    expect(current()).toBe(id(1));
    expect(page.text('notices')).toContain('Something went wrong');
  });

  it('follows the feed: a photo approved elsewhere leaves, a new one joins at the back', async () => {
    await page.render('/admin/queue');
    page.server.change({ ...page.server.photos[0]!, state: 'visible' });
    page.server.change(adminPhoto(9, { state: 'pending' }));
    await page.settle();
    expect(current()).toBe(id(2));
    expect(page.text('queue-count')).toBe('3 photos waiting');
  });

  it('says when nothing is waiting, and whether pre-approval is on', async () => {
    page.server.photos = [];
    await page.render('/admin/queue');
    expect(page.text('queue-empty')).toContain('Nothing waiting. New photos will appear here.');
    expect(page.text('queue-empty')).toContain('Pre-approval is off');
    await page.click(page.q('queue-turn-on'));
    expect(page.socket.requests('admin:approval')).toEqual([{ required: true }]);
    expect(page.text('queue-empty')).toContain('Pre-approval is on');
  });
});
