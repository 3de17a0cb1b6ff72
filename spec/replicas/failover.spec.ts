/// <reference lib="dom" />
// Acceptance of the replicas issue: A is SIGKILLed mid-upload. The page reconnects to B (through a
// proxy that switches backends, as a load balancer does), and the upload completes once with
// identical bytes. The real upload page in headless Chromium; the store read straight from MongoDB.
import { CHUNK_SIZE, type PhotoDto } from '@photobook/shared';
import { useBrowser } from '../fixtures/browser';
import { useCluster } from '../fixtures/cluster';
import { ClusterStore, sha, until } from '../fixtures/cluster-store';
import { noisyJpeg } from '../fixtures/hostile-files';
import { logRecords, type Replica } from '../fixtures/replica';
import { openWall, type WallScreen } from '../fixtures/replica-screens';
import { startSwitchProxy, type SwitchProxy } from '../fixtures/switch-proxy';

const SPEC_MS = 120_000;
/** The page's own backoff (500 ms, 1 s, ...) plus Socket.IO's reconnection delay, with room for a slow CI. */
const RESUME_MS = 60_000;

describe('an upload from the real page whose replica is killed mid-way', () => {
  // No smaller copy on the phone: the bytes sent are the file's, so the stored ones can be compared.
  const env = useCluster({ replicas: 2, env: { DOWNSCALE_ABOVE_MB: '0' } });
  // The killed replica's connections fail in Chromium's console: that is the point here.
  const chromium = useBrowser({ timeoutMs: SPEC_MS, tolerated: /Failed to load resource|WebSocket connection|net::ERR/ });
  let proxy: SwitchProxy | null = null;
  let store: ClusterStore | null = null;
  let wall: WallScreen | null = null;
  afterEach(async () => {
    wall?.close();
    await proxy?.close();
    await store?.close();
  });

  it('finishes on B through the proxy, exactly once, with the bytes the page sent', async () => {
    const [a, b] = env.cluster.replicas as [Replica, Replica];
    store = await ClusterStore.open(env.cluster);
    const photo = await noisyJpeg(3000, 2000);
    expect(photo.length).withContext('a photo of several MB').toBeGreaterThan(4 * 1024 * 1024);
    wall = await openWall(b.url);
    const added: string[] = [];
    wall.socket.on('photo:added', (p: PhotoDto) => added.push(p.id));

    proxy = await startSwitchProxy(a.port);
    const page = await chromium.openPage(`http://127.0.0.1:${proxy.port}`, '/upload');
    await page.getByTestId('author-input').fill('Ana');
    await page.getByTestId('file-input').setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByTestId('upload-item').waitFor();
    await page.getByTestId('upload-button').click();

    // A has durably acknowledged a few chunks: kill it there, and point the balancer at B.
    const seen = await until(() => store!.uploads(), (u) => (u[0]?.received ?? 0) >= 2 * CHUNK_SIZE, 30_000, 'chunks acknowledged by A', 5);
    a.signal('SIGKILL');
    proxy.switchTo(b.port, { dropExisting: true });
    expect((await a.exited).signal).toBe('SIGKILL');
    const [atKill] = await store.uploads();
    console.log(`\n  A killed with ${atKill?.received ?? '?'} of ${photo.length} bytes held (first seen at ${seen[0]!.received})`);
    expect(atKill && atKill.received < atKill.size).withContext('A died with the upload unfinished').toBeTrue();
    expect(await store.photos()).withContext('no photo before B takes over').toEqual([]);

    const killedAt = Date.now();
    await page.getByTestId('upload-success').waitFor({ timeout: RESUME_MS });
    const onB = logRecords(b, 'photo uploaded');
    console.log(`  the page says uploaded ${Date.now() - killedAt} ms after the kill (B's commit took ${onB[0]?.['ms']} ms)`);
    expect(await page.getByTestId('upload-item').getAttribute('data-status')).toBe('done');
    expect(await page.getByTestId('upload-done').count()).toBe(1);
    expect(await page.getByTestId('upload-error').count()).withContext('no error shown').toBe(0);

    const photos = await store.photos();
    expect(photos.length).withContext('photos in the store').toBe(1);
    const id = photos[0]!.id;
    await wall.until((w) => w.shown.has(id), 5_000, 'the photo on the wall of B');
    await new Promise((resolve) => setTimeout(resolve, 500)); // a duplicate broadcast would have landed by now
    expect(added).withContext('photo:added on the wall of B').toEqual([id]);
    expect(onB.map((r) => r['photoId'])).withContext('B committed it').toEqual([id]);

    const stored = await store.fileOf(id);
    expect(stored).withContext('a stored file').not.toBeNull();
    console.log(`  compared with its ${stored!.kind}`);
    expect(stored!.bytes.length).withContext(`bytes of the ${stored!.kind}`).toBe(photo.length);
    expect(sha(stored!.bytes)).withContext(`SHA-256 of the ${stored!.kind}`).toBe(sha(photo));
    expect(await store.uploads()).withContext('no partial upload left').toEqual([]);
    expect(await store.partPieces()).withContext('no upload part left').toBe(0);
  }, SPEC_MS);
});
