/**
 * The docs' pictures of how guests join: the wall's full-screen join card and its corner code at
 * 1920x1080, and one A4 sheet of A6 table cards rendered at 100 dpi (poppler's pdftoppm):
 * `node --import tsx scripts/join-shots.ts URL PASSWORD [OUT_DIR]`. Run it against a server with a
 * few photos (scripts/seed-demo.ts); PUBLIC_URL and the event title show as they are set there.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ADMIN_SESSION_PATH, ADMIN_TABLE_CARDS_PATH } from '@photobook/shared';
import { CHROMIUM_FLAGS, requireChromium } from './chromium.cjs';

async function main(): Promise<void> {
  const [url = 'http://localhost:3000', password = '', out = 'docs'] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: requireChromium(), headless: true, args: CHROMIUM_FLAGS });
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  // The card comes 3 s after the first turn and stays; it fades in over 1.2 s.
  await page.goto(`${url}/?layout=slideshow&seconds=4&joinevery=3&joinfor=60`);
  await page.getByTestId('join-screen').waitFor({ timeout: 20_000 });
  await page.waitForTimeout(1_600);
  await page.screenshot({ path: `${out}/join-card.png` });
  console.log(`${out}/join-card.png`);

  await page.goto(`${url}/?layout=slideshow&seconds=60`);
  await page.getByTestId('join-hint').waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete && img.naturalWidth > 0));
  await page.waitForTimeout(1_600);
  await page.screenshot({ path: `${out}/wall-corner-qr.png` });
  console.log(`${out}/wall-corner-qr.png`);

  const signIn = await page.request.post(`${url}${ADMIN_SESSION_PATH}`, { data: { password }, headers: { origin: url } });
  if (!signIn.ok()) throw new Error(`sign-in answered ${signIn.status()}`);
  const pdf = await page.request.get(`${url}${ADMIN_TABLE_CARDS_PATH}?size=a6&paper=a4`);
  if (!pdf.ok()) throw new Error(`table cards answered ${pdf.status()}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'table-cards-'));
  try {
    fs.writeFileSync(path.join(dir, 'cards.pdf'), await pdf.body());
    execFileSync('pdftoppm', ['-r', '100', '-png', '-singlefile', path.join(dir, 'cards.pdf'), path.join(dir, 'sheet')]);
    fs.copyFileSync(path.join(dir, 'sheet.png'), `${out}/table-card.png`);
    console.log(`${out}/table-card.png`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await browser.close();
}

await main();
