import { registerServiceWorker } from './service-worker';

describe('registerServiceWorker', () => {
  function fakeNavigator(register: jasmine.Spy): Navigator {
    return { serviceWorker: { register } } as unknown as Navigator;
  }

  it('installs /sw.js for the whole site in a secure context (HTTPS, localhost)', () => {
    const register = jasmine.createSpy('register').and.resolveTo({});
    registerServiceWorker(fakeNavigator(register), true, 0);
    expect(register).toHaveBeenCalledOnceWith('/sw.js', { scope: '/' });
  });

  it('waits a few seconds after the page loaded, so the precache never competes with the page or the first photo', async () => {
    const register = jasmine.createSpy('register').and.resolveTo({});
    registerServiceWorker(fakeNavigator(register), true, 60);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(register).not.toHaveBeenCalled();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(register).toHaveBeenCalledTimes(1);
  });

  it('does nothing on plain HTTP over the LAN, where browsers refuse service workers', () => {
    const register = jasmine.createSpy('register').and.resolveTo({});
    registerServiceWorker(fakeNavigator(register), false, 0);
    expect(register).not.toHaveBeenCalled();
  });

  it('does nothing in a browser without service workers', () => {
    expect(() => registerServiceWorker({} as Navigator, true, 0)).not.toThrow();
  });

  it('lets a failed registration go quietly (the page works without it)', async () => {
    const register = jasmine.createSpy('register').and.rejectWith(new TypeError('bad HTTP response code (404)'));
    const unhandled = jasmine.createSpy('unhandledrejection');
    window.addEventListener('unhandledrejection', unhandled);
    registerServiceWorker(fakeNavigator(register), true, 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    window.removeEventListener('unhandledrejection', unhandled);
    expect(register).toHaveBeenCalled();
    expect(unhandled).not.toHaveBeenCalled();
  });
});
