import { ADMIN_EXPORT_PATH } from '@photobook/shared';
import { formatBytes } from './format';
import { AdminHarness } from './testing/admin-harness';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

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
    page.server.storage = { freeBytes: 200 * MiB, usedBytes: 9 * GiB, reserveBytes: 256 * MiB, full: false };
    await page.render();
    expect(page.text('storage-banner')).toContain('200 MB free');
    expect(page.text('storage-banner')).toContain('Uploads are refused until space is freed');
  });

  it('shows no storage warning while there is room', async () => {
    await page.render();
    expect(page.q('storage-banner')).toBeNull();
  });

  it('shows the stats in human units, and asks again after photos change', async () => {
    page.server.seed(5, (i) => ({ state: i === 5 ? 'pending' : 'visible', guest: i % 2 }));
    page.server.storage = { freeBytes: 40 * GiB, usedBytes: 2.5 * GiB, reserveBytes: 256 * MiB, full: false };
    await page.render('/admin/stats');
    expect(page.text('stat-visible')).toContain('4');
    expect(page.text('stat-pending')).toContain('1');
    expect(page.text('stat-guests')).toContain('2');
    expect(page.text('stat-walls')).toContain('2');
    expect(page.text('stat-used')).toContain('2.5 GB');
    expect(page.text('stat-free')).toContain('40 GB');
    // STORAGE_RESERVE_MB=256 (the default), in the unit the README and the configuration use.
    expect(page.text('stat-free')).toContain('Uploads stop below 256 MB');
    const asked = page.socket.requests('admin:stats').length;
    page.socket.serverEmit('photos:changed', { seq: 6 });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await page.settle();
    expect(page.socket.requests('admin:stats').length).toBeGreaterThan(asked);
  });

  it('formats sizes in binary units named MB and GB, as the configuration and the guests’ pages count them', () => {
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(256 * MiB)).toBe('256 MB');
    expect(formatBytes(50 * MiB)).toBe('50 MB');
    expect(formatBytes(2.5 * GiB)).toBe('2.5 GB');
    expect(formatBytes(40 * GiB)).toBe('40 GB');
    expect(formatBytes(1000 * 1024)).withContext('never four digits').toBe('1.0 MB');
  });

  it('links to the title field instead of a placeholder name while the event has no title', async () => {
    page.server.state = { ...page.server.state, settings: { ...page.server.state.settings, title: '' } };
    await page.render('/admin/photos');
    expect(page.q('event-title')).toBeNull();
    expect(page.root.textContent).not.toContain('Untitled');
    const link = page.q<HTMLAnchorElement>('add-title')!;
    expect(link.textContent?.trim()).toBe('Add the event’s title');
    expect(link.getAttribute('href')).toBe('/admin/settings');
    await page.click(link);
    expect(page.q('settings-form')).not.toBeNull();
    expect(page.q('nav-settings')!.getAttribute('aria-current')).toBe('page');
    await page.type(page.q('setting-title'), 'Anna & Ben');
    page.q<HTMLFormElement>('settings-form')!.requestSubmit();
    await page.settle();
    expect(page.text('event-title')).toBe('Anna & Ben');
    expect(page.q('add-title')).toBeNull();
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
