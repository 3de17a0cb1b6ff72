/// <reference lib="dom" />
import path from 'node:path';
import type { Page } from 'playwright-core';
import { useBrowser } from '../fixtures/browser';
import { sceneJpeg } from '../fixtures/scenes';
import { startTestServer, type TestServer } from '../fixtures/server';

const CLIENT_DIR = path.resolve('dist/client/browser');
const PASSWORD = 'e2e-host-password-42';
/** Issue 10: every host action reaches guests and walls within this. */
const LIVE_MS = 1_000;

async function signIn(admin: Page): Promise<void> {
  await admin.getByTestId('password').fill(PASSWORD);
  await admin.getByTestId('sign-in-button').click();
  await admin.getByTestId('uploads-switch').waitFor({ timeout: 10_000 });
}

/** Picks one photo on the upload page, captions it and sends it; resolves when the page says it went. */
async function uploadOne(guest: Page, caption: string): Promise<void> {
  await guest.getByTestId('author-input').fill('Chloé');
  await guest.getByTestId('file-input').setInputFiles([{ name: 'IMG_0042.jpg', mimeType: 'image/jpeg', buffer: await sceneJpeg(42, 900, 600) }]);
  await guest.getByTestId('caption-input').first().fill(caption);
  await guest.getByTestId('upload-button').click();
  await guest.getByTestId('upload-success').waitFor({ timeout: 15_000 });
}

const wallPhotos = (wall: Page) => wall.getByTestId('wall-photo').count();

describe('The admin console (end to end, headless Chromium: a host, a guest and a wall)', () => {
  let server: TestServer;
  const chromium = useBrowser({ timeoutMs: 90_000 });
  const openPage = (route: string) => chromium.openPage(server.url, route);

  beforeEach(async () => {
    server = await startTestServer({ adminPassword: PASSWORD, config: { staticDir: CLIENT_DIR } });
  });
  afterEach(async () => {
    await server.close();
  });

  it('signs in, pauses uploads with a message the guest sees live, then pre-approval holds a photo off the wall until approved, and hiding takes it off', async () => {
    const guest = await openPage('/upload');
    const admin = await openPage('/admin');
    await signIn(admin);

    await admin.getByTestId('pause-message').fill('Speeches now, back at 9');
    let at = Date.now();
    await admin.getByTestId('uploads-switch').click();
    await guest.getByTestId('paused-banner').filter({ hasText: 'Speeches now, back at 9' }).waitFor({ timeout: 5_000 });
    expect(Date.now() - at).withContext('pause reaches the guest').toBeLessThan(LIVE_MS);
    const late = await openPage('/upload');
    await late.getByTestId('paused-banner').filter({ hasText: 'Speeches now, back at 9' }).waitFor({ timeout: 5_000 });
    await admin.getByTestId('uploads-switch').click();
    await guest.getByTestId('paused-banner').waitFor({ state: 'detached', timeout: 5_000 });

    await admin.getByTestId('approval-switch').click();
    await admin.getByTestId('approval-switch').and(admin.locator('[aria-checked="true"]')).waitFor();
    const wall = await openPage('/');
    await wall.getByTestId('wall-empty').waitFor({ timeout: 10_000 });
    await uploadOne(guest, 'Our table says hi');
    await admin.getByTestId('nav-queue').click();
    await admin.getByTestId('queue-caption').filter({ hasText: 'Our table says hi' }).waitFor({ timeout: 5_000 });
    await wall.waitForTimeout(1_500);
    expect(await wallPhotos(wall)).withContext('nothing on the wall before approval').toBe(0);

    at = Date.now();
    await admin.getByTestId('queue-approve').click();
    await wall.getByTestId('wall-photo').first().waitFor({ timeout: 5_000 });
    expect(Date.now() - at).withContext('approval reaches the wall').toBeLessThan(LIVE_MS);
    await admin.getByTestId('queue-empty').waitFor();

    await admin.getByTestId('nav-photos').click();
    await admin.getByTestId('admin-photo').filter({ hasText: 'Our table says hi' }).getByTestId('open-preview').click();
    at = Date.now();
    await admin.getByTestId('preview-hide').click();
    await wall.getByTestId('wall-photo').first().waitFor({ state: 'detached', timeout: 5_000 });
    expect(Date.now() - at).withContext('hiding reaches the wall').toBeLessThan(LIVE_MS);
    await admin.getByTestId('preview-state').filter({ hasText: /hidden/i }).waitFor();
  });

  it('refuses a wrong password and signs out', async () => {
    const admin = await openPage('/admin');
    await admin.getByTestId('password').fill('not the password');
    await admin.getByTestId('sign-in-button').click();
    await admin.getByTestId('sign-in-error').waitFor();
    await signIn(admin);
    await admin.getByTestId('sign-out').click();
    await admin.getByTestId('password').waitFor();
    await admin.reload();
    await admin.getByTestId('password').waitFor({ timeout: 10_000 });
  });
});
