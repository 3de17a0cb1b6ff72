// Acceptance of the replicas issue: A gets SIGTERM during 5 uploads. Each upload completes or
// resumes on B; none is lost or duplicated. Five phones (Socket.IO clients that reconnect by
// themselves) upload through a proxy that the orchestrator points at B as it stops A; A drains:
// the commit in hand is answered, then A closes every transport and exits 0.
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { io as connect } from 'socket.io-client';
import { CHUNK_SIZE, ErrorCode, isRetryable, type PhotoDto } from '@photobook/shared';
import { useCluster } from '../fixtures/cluster';
import { ClusterStore, sha, until, type HeldUpload } from '../fixtures/cluster-store';
import { logRecords, type Replica } from '../fixtures/replica';
import type { TestSocket } from '../fixtures/replica-guests';
import { openWall, type WallScreen } from '../fixtures/replica-screens';
import { uploadRetrying, type UploadTrail } from '../fixtures/retrying-uploader';
import { startSwitchProxy, type SwitchProxy } from '../fixtures/switch-proxy';

const SPEC_MS = 150_000;
const DRAIN_TIMEOUT_SECONDS = 10;
/** After the drain, closing the app (an archive copy in hand) and the store. */
const EXIT_MARGIN_MS = 10_000;
/** A phone on busy Wi-Fi: before each window of chunks (about 1 MB), a pause. */
const PACE_MS = 250;
const PHONES = 5;
/** The upload page's own patience for an answer (a commit of a 6 MP photo on a busy FerretDB takes seconds). */
const REQUEST_TIMEOUT_MS = 20_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A JPEG of random pixels (it does not compress: about 1 MB per 1.1 megapixels); every call a new photo. */
function randomJpeg(width: number, height: number): Promise<Buffer> {
  return sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toBuffer();
}

/** A phone's page: reconnects by itself (Socket.IO's default), quickly for the spec's sake. */
async function phoneThrough(proxy: SwitchProxy, cookie: string): Promise<TestSocket> {
  const socket: TestSocket = connect(`http://127.0.0.1:${proxy.port}`, {
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 1_000,
    extraHeaders: { cookie },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

interface Phone {
  readonly socket: TestSocket;
  readonly clientUploadId: string;
  readonly bytes: Buffer;
  /** Why each disconnect happened, in order. */
  readonly disconnects: string[];
  /** Each begin's offset and the offset this phone had seen acknowledged by then. */
  readonly begins: { at: number; offset: number; acked: number }[];
  acked: number;
}

describe('a replica stopped with SIGTERM during five uploads', () => {
  const env = useCluster({ replicas: 2, env: { DRAIN_TIMEOUT_SECONDS: String(DRAIN_TIMEOUT_SECONDS) } });
  const phones: Phone[] = [];
  let proxy: SwitchProxy | null = null;
  let store: ClusterStore | null = null;
  let wall: WallScreen | null = null;
  afterEach(async () => {
    for (const phone of phones.splice(0)) phone.socket.disconnect();
    wall?.close();
    await proxy?.close();
    await store?.close();
  });

  it('answers the commit in hand, exits 0 once drained, and every photo lands exactly once with its bytes', async () => {
    const [a, b] = env.cluster.replicas as [Replica, Replica];
    store = await ClusterStore.open(env.cluster);
    const held = store;
    wall = await openWall(b.url);
    const added: string[] = [];
    wall.socket.on('photo:added', (p: PhotoDto) => added.push(p.id));
    proxy = await startSwitchProxy(a.port);
    // Phone 0 commits as A is told to stop; phones 1 to 4 are then part of the way through bigger photos.
    const files = [await randomJpeg(1600, 1200), ...(await Promise.all(Array.from({ length: PHONES - 1 }, () => randomJpeg(3000, 2000))))];
    for (const [i, bytes] of files.entries()) {
      const socket = await phoneThrough(proxy, env.cluster.newGuest().cookie);
      const phone: Phone = { socket, clientUploadId: `drain-${i}-${randomBytes(4).toString('hex')}`, bytes, disconnects: [], begins: [], acked: 0 };
      socket.on('disconnect', (reason) => phone.disconnects.push(reason));
      phones.push(phone);
    }
    const heldBy = (phone: Phone) => (uploads: HeldUpload[]) => uploads.find((u) => u.clientUploadId === phone.clientUploadId);

    let signalledAt = 0;
    let commitSent!: (updatedAt: number) => void;
    const committing = new Promise<number>((resolve) => (commitSent = resolve));
    const uploads = phones.map((phone, i) =>
      uploadRetrying(phone.socket, {
        bytes: phone.bytes,
        clientUploadId: phone.clientUploadId,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
        onBegin: (offset) => phone.begins.push({ at: Date.now(), offset, acked: phone.acked }),
        onProgress: (confirmed) => (phone.acked = confirmed),
        beforeWindow: i === 0 ? undefined : () => sleep(PACE_MS),
        onCommit:
          i === 0
            ? async () => {
                if (signalledAt) return;
                // The others are under way on A; then the commit, once A's clock has moved past the last chunk.
                await until(() => held.uploads(), (u) => phones.slice(1).every((p) => (heldBy(p)(u)?.received ?? 0) >= 4 * CHUNK_SIZE), 30_000, 'the other uploads under way');
                await sleep(20);
                commitSent(heldBy(phone)(await held.uploads())!.updatedAt);
              }
            : undefined,
      }).then((result) => ({ ...result, at: Date.now() })),
    );
    const settled = Promise.allSettled(uploads);

    // A has started on the commit (its first step touches the upload): now the orchestrator stops A.
    const before = await committing;
    await until(() => held.uploads(), (u) => (heldBy(phones[0]!)(u)?.updatedAt ?? Infinity) > before, 10_000, 'the commit in hand on A', 2);
    signalledAt = Date.now();
    a.signal('SIGTERM');
    proxy.switchTo(b.port, { dropExisting: false });
    const ackedAtSignal = phones.map((phone) => phone.acked);
    const heldAtSignal = await held.uploads();
    const progressAtSignal = phones.map((p) => heldBy(p)(heldAtSignal)).map((u) => (u ? `${Math.round((100 * u.received) / u.size)}%` : 'gone'));

    const exit = await a.exited;
    const exitMs = Date.now() - signalledAt;
    const drained = logRecords(a, 'drained');
    console.log(`\n  SIGTERM with phones 0 to 4 held at ${progressAtSignal.join(', ')}; A exited ${exit.code} after ${exitMs} ms, drained ${JSON.stringify(drained[0])}`);
    expect(exit).withContext('how A ended').toEqual({ code: 0, signal: null });
    expect(exitMs).withContext('A exits within the drain timeout and a margin').toBeLessThan(DRAIN_TIMEOUT_SECONDS * 1000 + EXIT_MARGIN_MS);
    expect(drained.length).withContext("A's log says drained").toBe(1);
    expect(drained[0]?.['settled']).withContext('the requests in hand finished before the deadline').toBeTrue();

    const results = await settled;
    const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`phone ${i}: ${String(r.reason)}`] : []));
    expect(failures).withContext('uploads that gave up').toEqual([]);
    if (failures.length) return;
    const done = results.map((r) => (r as PromiseFulfilledResult<{ photo: PhotoDto; trail: UploadTrail; at: number }>).value);
    for (const [i, phone] of phones.entries()) {
      const again = phone.begins.find((begin) => begin.at > signalledAt);
      const path = again ? `began again at ${again.offset}` : 'no new begin';
      console.log(`  phone ${i}: ${ackedAtSignal[i]} acked at the signal; refused ${done[i]!.trail.refusals.join(', ') || 'nothing'}; ${path}; done after ${done[i]!.at - signalledAt} ms`);
    }
    for (const [i, { trail }] of done.entries()) {
      const permanent = trail.refusals.filter((code) => code !== 'TIMEOUT' && code !== 'NO_PROGRESS' && !isRetryable(code));
      expect(permanent).withContext(`phone ${i}: refusals that are not retryable (all: ${trail.refusals.join(', ')})`).toEqual([]);
    }

    // The commit in flight at the signal was answered by A with the photo, not cut.
    const first = done[0]!;
    expect(first.trail.commits).withContext('phone 0 sent its commit once').toBe(1);
    expect(first.at).withContext('its answer came after the signal').toBeGreaterThan(signalledAt);
    expect(phones[0]!.disconnects[0]).withContext("phone 0's connection ended by A's drain").toBe('transport close');

    const onA = logRecords(a, 'photo uploaded').map((r) => r['photoId']);
    expect(onA).withContext('A committed it, and only it').toEqual([first.photo.id]);

    // The others were mid-way on A; A refused their next chunks while it drained, then closed their
    // transports; each began again on B, which answered at least the offset A had acknowledged.
    const onB = logRecords(b, 'photo uploaded').map((r) => r['photoId']);
    for (const [i, phone] of phones.entries()) {
      if (i === 0) continue;
      const { trail, photo } = done[i]!;
      expect(ackedAtSignal[i]! > 0 && ackedAtSignal[i]! < phone.bytes.length).withContext(`phone ${i} mid-way at the signal (${ackedAtSignal[i]} bytes acknowledged)`).toBeTrue();
      expect(trail.refusals).withContext(`phone ${i}: A's answer to a chunk while draining`).toContain(ErrorCode.ServerBusy);
      expect(phone.disconnects[0]).withContext(`phone ${i}: why its first connection ended`).toBe('transport close');
      const again = phone.begins.find((begin) => begin.at > signalledAt);
      expect(again && again.offset >= again.acked && again.offset >= ackedAtSignal[i]!)
        .withContext(`phone ${i} began again at ${again?.offset} with ${again?.acked} bytes acknowledged`)
        .toBeTrue();
      expect(onB).withContext(`phone ${i} committed on B`).toContain(photo.id);
    }

    // Exactly once each, with the bytes the phone sent; nothing partial left behind.
    const photos = await held.photos();
    expect(photos.map((p) => p.clientUploadId).sort()).withContext('photos per upload').toEqual(phones.map((p) => p.clientUploadId).sort());
    expect(photos.map((p) => p.id).sort()).toEqual(done.map((d) => d.photo.id).sort());
    for (const [i, phone] of phones.entries()) {
      const stored = await held.fileOf(done[i]!.photo.id);
      expect(stored && sha(stored.bytes)).withContext(`phone ${i}: SHA-256 of the stored ${stored?.kind}`).toBe(sha(phone.bytes));
    }
    await wall.until((w) => done.every((d) => w.shown.has(d.photo.id)), 5_000, 'all five photos on the wall of B');
    await sleep(500); // a duplicate broadcast would have landed by now
    expect(added.sort()).withContext('photo:added on the wall of B').toEqual(done.map((d) => d.photo.id).sort());
    expect(await held.uploads()).withContext('no partial upload left').toEqual([]);
    expect(await held.partPieces()).withContext('no upload part left').toBe(0);
  }, SPEC_MS);
});
