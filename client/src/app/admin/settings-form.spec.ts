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

  it('computes no patch for an untouched draft', () => {
    expect(settingsPatch(DEFAULT_SETTINGS, draftOf(DEFAULT_SETTINGS))).toBeNull();
  });
});
