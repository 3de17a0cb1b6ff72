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
const SHAPES: readonly (readonly [number, number])[] = [[1600, 1000], [900, 1200], [1600, 1000], [1200, 1200], [900, 1600], [2000, 800]];

async function main(): Promise<void> {
  const url = process.argv[2] ?? 'http://localhost:3000';
  const count = Number(process.argv[3] ?? 16);
  const sockets = await Promise.all(GUESTS.map(() => connectClient(url, { cookie: guestCookie().cookie })));
  for (let i = 0; i < count; i++) {
    // Photos of every usual shape: landscape, portrait, square, a tall phone shot, a panorama.
    const [width, height] = SHAPES[i % SHAPES.length]!;
    const bytes = await sceneJpeg(i + 1, width, height);
    const who = i % GUESTS.length;
    const sent = await uploadFile(sockets[who]!, bytes, { caption: CAPTIONS[i % CAPTIONS.length]!, author: GUESTS[who]! });
    console.log(sent.ok ? `photo ${i + 1}: ${sent.value.id}` : `photo ${i + 1}: ${sent.error.code}`);
  }
  for (const s of sockets) s.disconnect();
}

await main();
