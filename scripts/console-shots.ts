/**
 * Screenshots of the admin console at 1440x900 for docs/ (sign-in, photos, preview, queue,
 * settings, stats): `node --import tsx scripts/console-shots.ts URL PASSWORD [OUT_DIR]`. Run it
 * against a server with some photos (scripts/seed-demo.ts) and pre-approval on for a full queue.
 */
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, requireChromium } from './chromium.cjs';

async function main(): Promise<void> {
  const [url = 'http://localhost:3000', password = '', out = 'docs'] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: requireChromium(), headless: true, args: CHROMIUM_FLAGS });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const shot = async (name: string, p: Page = page) => {
    await p.waitForTimeout(600);
    await p.screenshot({ path: `${out}/console-${name}.png` });
    console.log(`${out}/console-${name}.png`);
  };
  await page.goto(`${url}/admin`);
  await page.getByTestId('password').waitFor();
  await shot('sign-in');
  await page.getByTestId('password').fill(password);
  await page.getByTestId('sign-in-button').click();
  await page.getByTestId('admin-photo').first().waitFor();
  await shot('photos');
  await page.getByTestId('open-preview').first().click();
  await page.getByTestId('preview').waitFor();
  await shot('preview');
  await page.keyboard.press('Escape');
  await page.getByTestId('nav-queue').click();
  await page.waitForSelector('[data-testid="queue-current"], [data-testid="queue-empty"]');
  await shot('queue');
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-form').waitFor();
  await shot('settings');
  await page.getByTestId('nav-stats').click();
  await page.waitForSelector('[data-testid^="stat-"]');
  await shot('stats');
  await browser.close();
}

await main();
