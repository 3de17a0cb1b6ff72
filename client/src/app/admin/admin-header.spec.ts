import { ADMIN_EXPORT_PATH } from '@photobook/shared';
import { formatBytes } from './format';
import { AdminHarness } from './testing/admin-harness';

describe('Admin header and stats', () => {
  let page: AdminHarness;

  beforeEach(() => (page = new AdminHarness()));

  it('pauses uploads with a message for the guests, updates the message, and opens them again', async () => {
    await page.render();
    const uploads = page.q('uploads-switch')!;
    expect(uploads.getAttribute('aria-checked')).toBe('true');
    expect(uploads.textContent).toContain('Uploads open');

    await page.type(page.q('pause-message'), 'Speeches — back at 9');
    await page.click(uploads);
    expect(page.socket.requests('admin:pause')).toEqual([{ message: 'Speeches — back at 9' }]);
    expect(uploads.getAttribute('aria-checked')).toBe('false');
    expect(uploads.textContent).toContain('Paused');

    await page.type(page.q('pause-message'), 'Cake first');
    await page.click(page.q('update-message'));
    expect(page.socket.requests('admin:pause')[1]).toEqual({ message: 'Cake first' });

    await page.click(uploads);
    expect(page.socket.requests('admin:resume')).toEqual([{}]);
    expect(uploads.textContent).toContain('Uploads open');
  });

  it('turns pre-approval on and off', async () => {
    await page.render();
    await page.click(page.q('approval-switch'));
    expect(page.socket.requests('admin:approval')).toEqual([{ required: true }]);
    expect(page.q('approval-switch')!.getAttribute('aria-checked')).toBe('true');
  });

  it('follows state:changed from another console', async () => {
    await page.render();
    const state = page.server.state;
    page.socket.serverEmit('state:changed', {
      ...state,
      uploads: { paused: true, pauseMessage: 'Dinner', approvalRequired: true },
      settings: { ...state.settings, title: 'New title' },
    });
    await page.settle();
    expect(page.text('event-title')).toBe('New title');
    expect(page.q<HTMLInputElement>('pause-message')!.value).toBe('Dinner');
    expect(page.q('approval-switch')!.getAttribute('aria-checked')).toBe('true');
  });

  it('links the ZIP export as a plain download and shows the connection', async () => {
    await page.render();
    const link = page.q<HTMLAnchorElement>('export-link')!;
    expect(link.getAttribute('href')).toBe(ADMIN_EXPORT_PATH);
    expect(link.hasAttribute('download')).toBeTrue();
    expect(page.text('connection')).toBe('Live');
    page.socket.serverDisconnect();
    await page.settle();
    expect(page.text('connection')).toBe('Reconnecting…');
  });

  it('warns when storage is below the reserve, with the free space', async () => {
    page.server.storage = { freeBytes: 600e6, usedBytes: 9e9, reserveBytes: 1e9, full: false };
    await page.render();
    expect(page.text('storage-banner')).toContain('600 MB free');
    expect(page.text('storage-banner')).toContain('Uploads are refused until space is freed');
  });

  it('shows no storage warning while there is room', async () => {
    await page.render();
    expect(page.q('storage-banner')).toBeNull();
  });

  it('shows the stats in human units, and asks again after photos change', async () => {
    page.server.seed(5, (i) => ({ state: i === 5 ? 'pending' : 'visible', guest: i % 2 }));
    await page.render('/admin/stats');
    expect(page.text('stat-visible')).toContain('4');
    expect(page.text('stat-pending')).toContain('1');
    expect(page.text('stat-guests')).toContain('2');
    expect(page.text('stat-walls')).toContain('2');
    expect(page.text('stat-used')).toContain('2.5 GB');
    expect(page.text('stat-free')).toContain('40 GB');
    const asked = page.socket.requests('admin:stats').length;
    page.socket.serverEmit('photos:changed', { seq: 6 });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await page.settle();
    expect(page.socket.requests('admin:stats').length).toBeGreaterThan(asked);
  });

  it('formats sizes in decimal units', () => {
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(2.5e9)).toBe('2.5 GB');
    expect(formatBytes(40e9)).toBe('40 GB');
  });

  it('moves between views by address', async () => {
    await page.render('/admin');
    expect(page.q('nav-photos')!.getAttribute('aria-current')).toBe('page');
    await page.click(page.q('nav-settings'));
    expect(page.q('settings-form')).not.toBeNull();
    expect(page.q('nav-settings')!.getAttribute('aria-current')).toBe('page');
    expect(page.q('nav-photos')!.getAttribute('aria-current')).toBeNull();
  });
});
