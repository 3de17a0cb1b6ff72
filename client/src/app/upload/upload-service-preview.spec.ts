import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { CHUNK_SIZE, ErrorCode, err, ok } from '@photobook/shared';
import { FakeSocket, NO_REPLY, flush, photo } from '../../testing/fake-socket';
import { FakeUploadServer, patternBytes } from '../../testing/fake-upload-server';
import { REALTIME_SOCKET_FACTORY } from '../core/realtime.service';
import { UPLOAD_JITTER, backoffDelay, randomJitter, type Jitter } from './backoff';
import { NETWORK_WINDOW } from './online-status';
import { UPLOAD_TUNING, UploadService, type UploadJob, type UploadTuning } from './upload.service';

/** A browser whose network a spec switches off and on, as the phone's Wi-Fi does. */
class FakeNetwork extends EventTarget {
  readonly navigator = { onLine: true };

  set(online: boolean): void {
    this.navigator.onLine = online;
    this.dispatchEvent(new Event(online ? 'online' : 'offline'));
  }
}

/** The service's side of preview first (UP22 to UP27), jittered backoff and waiting while offline. */
describe('UploadService with parts, jitter and the network', () => {
  let socket: FakeSocket;
  let server: FakeUploadServer;
  let network: FakeNetwork;
  let jitter: Jitter;
  let tuning: { -readonly [K in keyof UploadTuning]: UploadTuning[K] };
  let service: UploadService;
  const id = 'BBBBBBBBBBBBBBBBBBBBBB';

  beforeEach(() => {
    tuning = { retryDelaysMs: [0, 0, 0], requestTimeoutMs: 20 };
    socket = new FakeSocket();
    socket.connected = true;
    server = new FakeUploadServer();
    socket.handler = server.handle;
    network = new FakeNetwork();
    jitter = () => 1;
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: REALTIME_SOCKET_FACTORY, useValue: () => socket },
        { provide: UPLOAD_TUNING, useValue: tuning },
        { provide: UPLOAD_JITTER, useValue: () => jitter() },
        { provide: NETWORK_WINDOW, useValue: network },
      ],
    });
    service = TestBed.inject(UploadService);
  });

  function job(size: number, overrides: Partial<UploadJob> = {}): UploadJob {
    return { file: new Blob([patternBytes(size)], { type: 'image/jpeg' }), name: 'party.jpg', clientUploadId: id, caption: 'Cake!', author: 'Ana', ...overrides };
  }

  describe('parts (UP22)', () => {
    it('names the part in begin for a preview and an original, and leaves it out for a whole photo', async () => {
      await service.upload(job(10, { part: 'whole', clientUploadId: 'WWWWWWWWWWWWWWWWWWWWWW' }));
      await service.upload(job(10, { part: 'preview' }));
      await service.upload(job(30, { part: 'original' }));
      const begins = socket.requests('upload:begin');
      expect('part' in begins[0]).toBeFalse();
      expect(begins.slice(1).map((b) => [b.part, b.size, b.clientUploadId])).toEqual([
        ['preview', 10, id],
        ['original', 30, id],
      ]);
    });

    it('UP25: the original commits to the photo its preview made: one photo, its full copy saved', async () => {
      const preview = await service.upload(job(10, { part: 'preview' }));
      const original = await service.upload(job(CHUNK_SIZE + 9, { part: 'original' }));
      expect(preview.kind === 'done' && original.kind === 'done' && original.photo.id === preview.photo.id).toBeTrue();
      expect(socket.requests('upload:commit').length).toBe(2);
    });

    it('UP24: ends at once, without a retry, when the server answers ORIGINAL_MISMATCH', async () => {
      const outcome = await service.upload(job(100, { part: 'original' }));
      expect(outcome).toEqual({ kind: 'failed', error: { code: ErrorCode.OriginalMismatch, message: 'No such photo.' } });
      expect(socket.requests('upload:begin').length).toBe(1);
      expect(socket.requests('upload:chunk')).toEqual([]);
    });

    it('UP25: ORIGINAL_MISMATCH on commit (another shape) ends the original without a retry', async () => {
      await service.upload(job(10, { part: 'preview' }));
      server.intercept = (event) => (event === 'upload:commit' ? err(ErrorCode.OriginalMismatch, 'Another shape.') : undefined);
      const outcome = await service.upload(job(100, { part: 'original' }));
      expect(outcome.kind === 'failed' && outcome.error.code).toBe(ErrorCode.OriginalMismatch);
      expect(socket.requests('upload:commit').length).toBe(2);
    });

    it('UP24: sends nothing when begin says the full copy is saved already', async () => {
      const saved = photo(7);
      server.intercept = (event, payload) =>
        event === 'upload:begin' && payload.part === 'original' ? ok({ state: 'committed', photo: saved }) : undefined;
      const outcome = await service.upload(job(5 * CHUNK_SIZE, { part: 'original' }));
      expect(outcome).toEqual({ kind: 'done', photo: saved });
      expect(socket.sent.map((s) => s.event)).toEqual(['upload:begin']);
    });

    it('UP25: a commit repeated after the original was taken (UPLOAD_NOT_FOUND) asks begin, which says committed', async () => {
      await service.upload(job(10, { part: 'preview' }));
      let lost = false;
      socket.handler = async (event, payload) => {
        const reply = await server.handle(event, payload);
        if (event !== 'upload:commit' || server.uploads.get(payload.uploadId)?.part !== 'original') return reply;
        if (lost) return err(ErrorCode.UploadNotFound, 'Gone.');
        lost = true;
        return NO_REPLY; // the server took the original, the ack never came
      };
      const outcome = await service.upload(job(100, { part: 'original' }));
      expect(outcome.kind).toBe('done');
      expect(socket.requests('upload:begin').filter((b) => b.part === 'original').length).toBe(2);
      expect(server.chunkBytesReceived).toBe(10 + 100);
    });
  });

  describe('jittered backoff', () => {
    it('keeps every random factor between 0.5 and 1', () => {
      const factors = Array.from({ length: 2000 }, randomJitter);
      expect(Math.min(...factors)).toBeGreaterThanOrEqual(0.5);
      expect(Math.max(...factors)).toBeLessThanOrEqual(1);
      expect(Math.max(...factors) - Math.min(...factors)).withContext('actually random').toBeGreaterThan(0.3);
    });

    it('multiplies the step by the factor, holds a stray factor to [0.5, 1], and repeats the last step', () => {
      const steps = [100, 1_000, 30_000];
      expect(backoffDelay(steps, 0, () => 0.5)).toBe(50);
      expect(backoffDelay(steps, 1, () => 0.75)).toBe(750);
      expect(backoffDelay(steps, 9, () => 1)).toBe(30_000);
      expect(backoffDelay(steps, 0, () => 0)).toBe(50);
      expect(backoffDelay(steps, 0, () => 7)).toBe(100);
      expect(backoffDelay(steps, 0, () => Number.NaN)).toBe(100);
    });

    it('waits the jittered step before a retry', async () => {
      tuning.retryDelaysMs = [200];
      jitter = () => 0.5;
      const beganAt: number[] = [];
      server.intercept = (event) => {
        if (event !== 'upload:begin') return undefined;
        beganAt.push(performance.now());
        return beganAt.length === 1 ? err(ErrorCode.Internal, 'Hiccup.') : undefined;
      };
      const timers = spyOn(window, 'setTimeout').and.callThrough();
      expect((await service.upload(job(10))).kind).toBe('done');
      const gap = beganAt[1]! - beganAt[0]!;
      expect(gap).toBeGreaterThanOrEqual(95);
      // The wait scheduled is the jittered step, not the whole one (real time only bounds it below).
      const delays = timers.calls.allArgs().map((args) => args[1]);
      expect(delays).toContain(100);
      expect(delays).not.toContain(200);
    });
  });

  describe('while the phone is offline', () => {
    it('sends nothing and spends no retry until the browser is back online, then goes on at once', async () => {
      tuning.retryDelaysMs = [0]; // one retry: a single lost request more would fail the upload
      network.set(false);
      const pending = service.upload(job(CHUNK_SIZE + 3));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(socket.sent).toEqual([]);

      network.set(true);
      expect((await pending).kind).toBe('done');
      expect(socket.requests('upload:begin').length).toBe(1);
    });

    it('waits out a network that drops mid-upload, however long, and resumes from the server offset', async () => {
      tuning.retryDelaysMs = [0];
      let dropped = false;
      server.intercept = (event, payload) => {
        if (event !== 'upload:chunk' || payload.offset !== CHUNK_SIZE || dropped) return undefined;
        dropped = true;
        network.set(false); // the Wi-Fi went away with this chunk
        return NO_REPLY;
      };
      const pending = service.upload(job(3 * CHUNK_SIZE));
      // Many request timeouts pass: each would be a retry if the browser were online.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(socket.requests('upload:begin').length).toBe(1);

      network.set(true);
      expect((await pending).kind).toBe('done');
      expect(socket.requests('upload:begin').length).toBe(2);
      expect(server.chunkBytesReceived).toBeLessThan(3 * CHUNK_SIZE + CHUNK_SIZE * 3);
    });

    it('cuts a long backoff short when the browser comes back online', async () => {
      tuning.retryDelaysMs = [60_000];
      let failures = 1;
      server.intercept = (event) => (event === 'upload:begin' && failures-- > 0 ? err(ErrorCode.Internal, 'Hiccup.') : undefined);
      const started = performance.now();
      const pending = service.upload(job(10));
      await flush();
      network.set(true); // an 'online' event: the phone just found the Wi-Fi again
      expect((await pending).kind).toBe('done');
      expect(performance.now() - started).toBeLessThan(1_000);
    });

    it('stops waiting for the network at once when cancelled', async () => {
      network.set(false);
      const controller = new AbortController();
      const pending = service.upload(job(10), {}, controller.signal);
      await flush();
      controller.abort();
      expect((await pending).kind).toBe('cancelled');
      expect(socket.sent).toEqual([]);
    });
  });
});
