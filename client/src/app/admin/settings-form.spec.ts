import { ErrorCode, err } from '@photobook/shared';
import { settingsPatch, draftOf } from './settings-draft';
import { AdminHarness } from './testing/admin-harness';
import { DEFAULT_SETTINGS } from './testing/fake-admin-server';

describe('Admin settings', () => {
  let page: AdminHarness;
  const field = (id: string) => page.q<HTMLInputElement>(id)!;
  const save = async () => {
    page.q<HTMLFormElement>('settings-form')!.requestSubmit();
    await page.settle();
  };

  beforeEach(() => (page = new AdminHarness()));

  it('fills the form from the server, with the limits as ceilings', async () => {
    await page.render('/admin/settings');
    expect(field('setting-title').value).toBe('Anna & Ben');
    expect(field('setting-slide-seconds').value).toBe('8');
    expect(field('setting-max-upload').max).toBe('50');
    expect(field('setting-uploads-per-guest').max).toBe('10');
    expect(field('setting-show-qr').checked).toBeTrue();
    expect(page.q<HTMLSelectElement>('setting-layout')!.value).toBe('slideshow');
  });

  it('sends only the fields that changed, then says Saved', async () => {
    await page.render('/admin/settings');
    await page.type(field('setting-title'), 'Anna & Ben’s wedding');
    await page.type(field('setting-slide-seconds'), '12');
    field('setting-show-count').click();
    await page.settle();
    await save();
    expect(page.socket.requests('admin:settings')).toEqual([
      { title: 'Anna & Ben’s wedding', wall: { slideSeconds: 12, showCount: true } },
    ]);
    expect(page.text('settings-status')).toContain('Saved');
    await save();
    expect(page.socket.requests('admin:settings').length).withContext('nothing left to save').toBe(1);
  });

  it('turns downscaling off as null and back on with a threshold', async () => {
    await page.render('/admin/settings');
    field('setting-downscale-on').click();
    await page.settle();
    expect(page.q('setting-downscale-above')).toBeNull();
    await save();
    field('setting-downscale-on').click();
    await page.settle();
    await page.type(field('setting-downscale-above'), '12');
    await save();
    expect(page.socket.requests('admin:settings')).toEqual([{ downscaleAboveMb: null }, { downscaleAboveMb: 12 }]);
  });

  it('refuses to send values out of range, saying what is allowed', async () => {
    await page.render('/admin/settings');
    await page.type(field('setting-max-upload'), '80');
    await save();
    expect(page.socket.requests('admin:settings')).toEqual([]);
    expect(field('setting-max-upload').getAttribute('aria-invalid')).toBe('true');
    expect(page.root.textContent).toContain('Choose a whole number from 1 to 50.');
  });

  it("shows the server's refusal next to the form", async () => {
    page.server.intercept = (event) => (event === 'admin:settings' ? err(ErrorCode.BadRequest, 'slideSeconds must be a whole number from 2 to 120.') : undefined);
    await page.render('/admin/settings');
    await page.type(field('setting-slide-seconds'), '30');
    await save();
    expect(page.text('settings-error')).toBe('Not saved: slideSeconds must be a whole number from 2 to 120.');
  });

  it('follows a change made in another console, keeping the fields being edited', async () => {
    await page.render('/admin/settings');
    await page.type(field('setting-title'), 'My draft title');
    const state = page.server.state;
    page.socket.serverEmit('state:changed', {
      ...state,
      settings: { ...state.settings, title: 'Their title', wall: { ...state.settings.wall, slideSeconds: 20 } },
    });
    await page.settle();
    expect(field('setting-title').value).toBe('My draft title');
    expect(field('setting-slide-seconds').value).toBe('20');
    await save();
    expect(page.socket.requests('admin:settings')).toEqual([{ title: 'My draft title' }]);
  });

  it('has a Share links and a Guest downloads checkbox, each saying what it does', async () => {
    await page.render('/admin/settings');
    const links = field('setting-share-links');
    const downloads = field('setting-guest-downloads');
    expect([links.checked, downloads.checked]).toEqual([true, true]);
    expect(links.closest('label')!.textContent!.trim()).toBe('Share links');
    expect(downloads.closest('label')!.textContent!.trim()).toBe('Guest downloads');
    const help = (input: HTMLInputElement) => page.root.querySelector(`#${input.getAttribute('aria-describedby')}`)!.textContent!.trim();
    expect(help(links)).toBe('Guests can share a photo’s link; turn off for a private event.');
    expect(help(downloads)).toBe('Guests can download photos in full quality from the gallery.');
  });

  it('turns share links and guest downloads off and on again, sending only the switch that changed', async () => {
    await page.render('/admin/settings');
    field('setting-share-links').click();
    await page.settle();
    await save();
    field('setting-guest-downloads').click();
    await page.settle();
    await save();
    field('setting-share-links').click();
    await page.settle();
    await save();
    expect(page.socket.requests('admin:settings')).toEqual([{ shareLinks: false }, { guestDownloads: false }, { shareLinks: true }]);
    expect([page.server.state.settings.shareLinks, page.server.state.settings.guestDownloads]).toEqual([true, false]);
    expect(page.text('settings-status')).toContain('Saved');
  });

  it('follows a switch turned off in another console', async () => {
    await page.render('/admin/settings');
    const state = page.server.state;
    page.socket.serverEmit('state:changed', { ...state, settings: { ...state.settings, guestDownloads: false } });
    await page.settle();
    expect(field('setting-guest-downloads').checked).toBeFalse();
    expect(field('setting-share-links').checked).toBeTrue();
  });

  it('keeps the last field above the Save bar once scrolled to the end', async () => {
    await page.render('/admin/settings');
    const last = field('setting-guest-downloads');
    const bar = page.root.querySelector<HTMLElement>('.footer')!;
    expect(getComputedStyle(bar).position).toBe('sticky');
    expect(getComputedStyle(bar).backgroundColor).withContext('opaque: nothing shows half through it').not.toMatch(/rgba\(.*, 0\)|transparent/);
    // In the form's own flow the bar comes after the last fieldset, so at the end of the page it covers nothing.
    const form = page.q('settings-form')!;
    expect(form.lastElementChild?.previousElementSibling).toBe(bar);
    const scroller = document.scrollingElement!;
    scroller.scrollTop = scroller.scrollHeight;
    await page.settle();
    expect(last.closest('fieldset')!.getBoundingClientRect().bottom).toBeLessThanOrEqual(bar.getBoundingClientRect().top + 1);
    scroller.scrollTop = 0;
    // A field the browser scrolls to (Tab, or an invalid save) stops clear of the bar.
    expect(parseFloat(getComputedStyle(last).scrollMarginBottom)).toBeGreaterThan(bar.getBoundingClientRect().height);
  });

  it('computes no patch for an untouched draft', () => {
    expect(settingsPatch(DEFAULT_SETTINGS, draftOf(DEFAULT_SETTINGS))).toBeNull();
  });
});
