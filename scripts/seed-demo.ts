/**
 * Fills a running Photobook with demo photos from a few guests, for screenshots and trying the
 * console: `node --import tsx scripts/seed-demo.ts http://localhost:3000 [count]`.
 */
import { guestCookie, connectClient, uploadFile } from '../spec/fixtures/server';
import { sceneJpeg } from '../spec/fixtures/scenes';

const CAPTIONS = [
  'First dance', 'The cake!', 'Grandma on the dance floor', 'Sunset over the garden', 'Best friends since 1998',
  'Cheers to the happy couple', 'Speech time', 'Little Mia found the sweets', 'The band is on fire', 'Group photo, take 4',
  'Confetti everywhere', 'Table 7 says hi', '', 'Sparklers!', 'Father of the bride', 'Late-night pizza',
];
const GUESTS = ['Anna', 'Ben', 'Chloé', 'David', 'Emma'];

async function main(): Promise<void> {
  const url = process.argv[2] ?? 'http://localhost:3000';
  const count = Number(process.argv[3] ?? 16);
  const sockets = await Promise.all(GUESTS.map(() => connectClient(url, { cookie: guestCookie().cookie })));
  for (let i = 0; i < count; i++) {
    const portrait = i % 3 === 1;
    const bytes = await sceneJpeg(i + 1, portrait ? 900 : 1600, portrait ? 1200 : 1000);
    const who = i % GUESTS.length;
    const sent = await uploadFile(sockets[who]!, bytes, { caption: CAPTIONS[i % CAPTIONS.length]!, author: GUESTS[who]! });
    console.log(sent.ok ? `photo ${i + 1}: ${sent.value.id}` : `photo ${i + 1}: ${sent.error.code}`);
  }
  for (const s of sockets) s.disconnect();
}

await main();
