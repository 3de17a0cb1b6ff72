import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { INSTALL_DEVICE, INSTALL_HINT_DISMISSED_KEY, InstallHint, isIosSafari, type InstallDevice } from './install-hint';

const IPHONE_SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const IPHONE_CHROME = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1';
const IPAD_AS_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const ANDROID_CHROME = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

const iphone: InstallDevice = { userAgent: IPHONE_SAFARI, platform: 'iPhone', maxTouchPoints: 5, standalone: false };
const android: InstallDevice = { userAgent: ANDROID_CHROME, platform: 'Linux armv8l', maxTouchPoints: 5, standalone: false };

/** What Chromium fires when the app may be installed; prompt() resolves, the guest accepts. */
function offerInstall(): jasmine.Spy {
  const prompt = jasmine.createSpy('prompt').and.resolveTo();
  const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
    prompt,
    userChoice: Promise.resolve({ outcome: 'accepted' }),
  });
  window.dispatchEvent(event);
  expect(event.defaultPrevented).withContext("Chrome's own install bar is held back").toBeTrue();
  return prompt;
}

describe('InstallHint', () => {
  beforeEach(() => localStorage.removeItem(INSTALL_HINT_DISMISSED_KEY));
  afterEach(() => localStorage.removeItem(INSTALL_HINT_DISMISSED_KEY));

  async function render(device: InstallDevice) {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: INSTALL_DEVICE, useValue: device }] });
    const fixture = TestBed.createComponent(InstallHint);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    return { fixture, root, hint: () => root.querySelector<HTMLElement>('[data-testid="install-hint"]') };
  }

  it('tells Safari on an iPhone how to add the app to the Home Screen', async () => {
    const { hint } = await render(iphone);
    expect(hint()?.textContent).toContain('Add Photobook to your Home Screen: tap Share, then Add to Home Screen');
    expect(hint()?.querySelector('[data-testid="install-button"]')).toBeNull();
  });

  it('stays hidden once dismissed, also on the next visit', async () => {
    const first = await render(iphone);
    first.root.querySelector<HTMLButtonElement>('[data-testid="install-hint-dismiss"]')!.click();
    await first.fixture.whenStable();
    expect(first.hint()).toBeNull();
    expect(localStorage.getItem(INSTALL_HINT_DISMISSED_KEY)).toBe('1');

    TestBed.resetTestingModule();
    const again = await render(iphone);
    expect(again.hint()).toBeNull();
  });

  it('says nothing when the app is already open from the Home Screen', async () => {
    const { hint } = await render({ ...iphone, standalone: true });
    expect(hint()).toBeNull();
  });

  it('knows Safari on an iPad that calls itself a Mac, and not the other iOS browsers', () => {
    expect(isIosSafari({ userAgent: IPAD_AS_MAC, platform: 'MacIntel', maxTouchPoints: 5, standalone: false })).toBeTrue();
    expect(isIosSafari({ userAgent: IPAD_AS_MAC, platform: 'MacIntel', maxTouchPoints: 0, standalone: false })).toBeFalse();
    expect(isIosSafari({ ...iphone, userAgent: IPHONE_CHROME })).toBeFalse();
    expect(isIosSafari(android)).toBeFalse();
  });

  it('shows nothing on a browser that offers no install', async () => {
    const { hint } = await render(android);
    expect(hint()).toBeNull();
  });

  it("offers an Install button once the browser offers installing, and spends the offer on a tap", async () => {
    const { fixture, root, hint } = await render(android);
    const prompt = offerInstall();
    await fixture.whenStable();
    const button = root.querySelector<HTMLButtonElement>('[data-testid="install-button"]');
    expect(button?.textContent?.trim()).toBe('Install');

    button!.click();
    await fixture.whenStable();
    expect(prompt).toHaveBeenCalledTimes(1);
    expect(hint()).toBeNull();
  });
});
