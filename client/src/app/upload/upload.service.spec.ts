import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { CHUNK_SIZE, ErrorCode, err, isRetryable, type ErrorCode as Code } from '@photobook/shared';
import { FakeSocket, NO_REPLY, flush, heldHandler, type FakeHandler } from '../../testing/fake-socket';
import { FakeUploadServer, patternBytes } from '../../testing/fake-upload-server';
import { ClientErrorCode, type RequestName } from '../core/client-result';
import { REALTIME_SOCKET_FACTORY } from '../core/realtime.service';
import { UPLOAD_JITTER } from './backoff';
import { UPLOAD_TUNING, UploadService, type UploadJob, type UploadTuning } from './upload.service';

describe('UploadService', () => {
  let socket: FakeSocket;
  let server: FakeUploadServer;
  let service: UploadService;
  /** Read by the service on every wait, so a spec may change the delays before it uploads. */
  let tuning: { -readonly [K in keyof UploadTuning]: UploadTuning[K] };

  beforeEach(() => {
    tuning = { retryDelaysMs: [0, 0, 0], requestTimeoutMs: 20 };
    socket = new FakeSocket();
    socket.connected = true;
    server = new FakeUploadServer();
    socket.handler = server.handle;
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: REALTIME_SOCKET_FACTORY, useValue: () => socket },
        { provide: UPLOAD_TUNING, useValue: tuning },
        // Exact waits: the jitter has specs of its own.
        { provide: UPLOAD_JITTER, useValue: () => 1 },
      ],
    });
    service = TestBed.inject(UploadService);
  });

  /** Compares without toEqual: Jasmine's diff of two large byte arrays can stall the browser. */
  function expectIntact(size: number): void {
    const received = server.onlyUpload().bytes;
    const expected = patternBytes(size);
    const firstDifference = received.findIndex((byte, i) => byte !== expected[i]);
    expect(received.byteLength).toBe(size);
    expect(firstDifference).withContext('first differing byte').toBe(-1);
  }

  function job(size: number, overrides: Partial<UploadJob> = {}): UploadJob {
    return {
      file: new Blob([patternBytes(size)], { type: 'image/jpeg' }),
      name: 'party.jpg',
      clientUploadId: 'AAAAAAAAAAAAAAAAAAAAAA',
      caption: 'Cake!',
      author: 'Ana',
      ...overrides,
    };
  }

  it('sends the file in CHUNK_SIZE pieces, four in flight until the first ack, and commits', async () => {
    const size = 6 * CHUNK_SIZE + 1000;
    const progress: number[] = [];
    // Chunks are answered only once four wait (or the seventh, the last, has come): a full window.
    const slow = heldHandler(server.handle, 'upload:chunk', 4, 7);
    socket.handler = slow.handler;
    const outcome = await service.upload(job(size), { onProgress: (n) => progress.push(n) });

    expect(outcome.kind).toBe('done');
    expect(slow.maxInFlight()).toBe(4);
    const chunks = socket.requests('upload:chunk');
    expect(chunks.map((c) => c.offset)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => i * CHUNK_SIZE));
    expect(chunks.map((c) => (c.data as ArrayBuffer).byteLength).at(-1)).toBe(1000);
    expectIntact(size);
    expect(socket.sent.at(0)?.event).toBe('upload:begin');
    expect(socket.sent.at(-1)?.event).toBe('upload:commit');
    expect(progress.at(-1)).toBe(size);
  });

  it('keeps more than four chunks in flight once acks show a fast link, never more than the server’s window', async () => {
    const size = 32 * CHUNK_SIZE;
    tuning.requestTimeoutMs = 5_000;
    let unanswered = 0;
    let most = 0;
    // Every chunk is answered 15 ms after it came, whatever else is in flight: about 17 MB/s, a LAN.
    socket.handler = async (name, payload) => {
      if (name !== 'upload:chunk') return server.handle(name, payload);
      most = Math.max(most, ++unanswered);
      await new Promise((resolve) => setTimeout(resolve, 15));
      unanswered--;
      return server.handle(name, payload);
    };
    const outcome = await service.upload(job(size));

    expect(outcome.kind).toBe('done');
    expect(most).toBeGreaterThan(4);
    expect(most).toBeLessThanOrEqual(server.window);
    expectIntact(size);
  });

  it('declares name, size, type, caption and author when beginning', async () => {
    await service.upload(job(10));
    expect(socket.requests('upload:begin')[0]).toEqual({
      clientUploadId: 'AAAAAAAAAAAAAAAAAAAAAA',
      name: 'party.jpg',
      size: 10,
      type: 'image/jpeg',
      caption: 'Cake!',
      author: 'Ana',
    });
  });

  it('continues from the offset the server returns rather than its own count', async () => {
    const size = 3 * CHUNK_SIZE;
    // This server only keeps the first half of each chunk, and refuses chunks past its end.
    server.intercept = (event, payload) => {
      if (event !== 'upload:chunk') return undefined;
      const upload = server.uploads.get(payload.uploadId)!;
      if (payload.offset !== upload.offset) return err(ErrorCode.OffsetMismatch, 'Gap.', { expectedOffset: upload.offset });
      const half = new Uint8Array(payload.data as ArrayBuffer).subarray(0, CHUNK_SIZE / 2);
      upload.bytes.set(half, upload.offset);
      upload.offset += half.byteLength;
      return { ok: true, value: { offset: upload.offset } };
    };
    const outcome = await service.upload(job(size));
    expect(outcome.kind).toBe('done');
    expectIntact(size);
  });

  it('resumes from where the server already is when begin reports an offset', async () => {
    const size = 2 * CHUNK_SIZE;
    server.intercept = (event) => (event === 'upload:commit' ? err(ErrorCode.Internal, 'Hiccup.') : undefined);
    await service.upload(job(size));
    server.intercept = null;
    socket.sent.length = 0;
    const again = await service.upload(job(size));
    expect(again.kind).toBe('done');
    expect(socket.requests('upload:chunk')).toEqual([]);
  });

  it('jumps to expectedOffset after OFFSET_MISMATCH and still delivers every byte', async () => {
    const size = 2 * CHUNK_SIZE;
    let first = true;
    server.intercept = (event, payload) => {
      if (event !== 'upload:chunk' || !first) return undefined;
      first = false;
      // The server already holds the first 100 bytes (e.g. from an earlier attempt).
      const upload = server.uploads.get(payload.uploadId)!;
      upload.bytes.set(patternBytes(100), 0);
      upload.offset = 100;
      return err(ErrorCode.OffsetMismatch, 'Wrong offset.', { expectedOffset: 100 });
    };
    const outcome = await service.upload(job(size));
    expect(outcome.kind).toBe('done');
    expect(socket.requests('upload:chunk').map((c) => c.offset)).toEqual([0, CHUNK_SIZE, 100, 100 + CHUNK_SIZE]);
    expectIntact(size);
  });

  it('resumes through begin after a chunk ack times out, and reports the retrying state', async () => {
    let dropped = 0;
    server.intercept = (event) => (event === 'upload:chunk' && dropped++ < 2 ? NO_REPLY : undefined);
    const retrying: boolean[] = [];
    const outcome = await service.upload(job(CHUNK_SIZE + 5), { onRetrying: (r) => retrying.push(r) });

    expect(outcome.kind).toBe('done');
    // Both chunks of the window were lost together: one resume.
    expect(socket.requests('upload:begin').length).toBe(2);
    expect(retrying).toContain(true);
    expect(retrying.at(-1)).toBeFalse();
    expectIntact(CHUNK_SIZE + 5);
  });

  it('survives a connection cut mid-upload: waits for the reconnect, asks where the server is, finishes', async () => {
    const size = 5 * CHUNK_SIZE;
    let cut = false;
    socket.handler = (event, payload) => {
      if (event === 'upload:chunk' && payload.offset === 2 * CHUNK_SIZE && !cut) {
        cut = true;
        socket.serverDisconnect();
        setTimeout(() => socket.serverConnect(), 30);
        return new Promise(() => undefined); // this ack never comes
      }
      return server.handle(event, payload);
    };
    const outcome = await service.upload(job(size));
    expect(outcome.kind).toBe('done');
    expect(socket.requests('upload:begin').length).toBe(2);
    expect(socket.requests('upload:commit').length).toBe(1);
    expectIntact(size);
  });

  it('commits again after a lost commit ack and gets the same photo', async () => {
    let lost = false;
    socket.handler = async (event, payload) => {
      const reply = await server.handle(event, payload);
      if (event === 'upload:commit' && !lost) {
        lost = true;
        return NO_REPLY; // the server made the photo, but the ack never arrived
      }
      return reply;
    };
    const outcome = await service.upload(job(100));
    expect(outcome.kind).toBe('done');
    expect(socket.requests('upload:commit').length).toBe(2);
    expect(outcome.kind === 'done' && outcome.photo.id).toBe(server.onlyUpload().photo!.id);
  });

  it('returns the photo without sending bytes when begin says the upload is already committed', async () => {
    await service.upload(job(100));
    socket.sent.length = 0;
    const again = await service.upload(job(100));
    expect(again.kind).toBe('done');
    expect(socket.sent.map((s) => s.event)).toEqual(['upload:begin']);
  });

  it('waits while the host has paused uploads, reports the host words, and goes on when resumed', async () => {
    let resumed = false;
    socket.serverSettings({ paused: true, pauseMessage: 'Speeches' });
    server.intercept = (event) => (event === 'upload:begin' && !resumed ? err(ErrorCode.UploadsPaused, 'Speeches') : undefined);
    const paused: Array<string | null> = [];
    const pending = service.upload(job(100), { onPaused: (m) => paused.push(m) });
    await flush();
    expect(paused).toEqual(['Speeches']);
    expect(socket.requests('upload:begin').length).toBe(1);
    resumed = true;
    socket.serverSettings({ paused: false });
    expect((await pending).kind).toBe('done');
    expect(paused).toEqual(['Speeches', null]);
  });

  it('begins the same upload afresh when the server expired it mid-way', async () => {
    let expired = false;
    server.intercept = (event, payload) => {
      if (event !== 'upload:chunk' || expired || payload.offset === 0) return undefined;
      expired = true;
      server.uploads.clear();
      return err(ErrorCode.UploadExpired, 'Too slow.');
    };
    const outcome = await service.upload(job(3 * CHUNK_SIZE));
    expect(outcome.kind).toBe('done');
    expect(socket.requests('upload:begin').map((b) => b.clientUploadId)).toEqual(['AAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAA']);
    expectIntact(3 * CHUNK_SIZE);
  });

  it('backs off and retries when the guest has too many uploads open', async () => {
    let busy = 2;
    server.intercept = (event) => (event === 'upload:begin' && busy-- > 0 ? err(ErrorCode.TooManyUploads, 'Busy.') : undefined);
    const outcome = await service.upload(job(100));
    expect(outcome.kind).toBe('done');
    expect(socket.requests('upload:begin').length).toBe(3);
  });

  it('fails with a NETWORK error once the retries are used up', async () => {
    server.intercept = (event) => (event === 'upload:begin' ? NO_REPLY : undefined);
    const outcome = await service.upload(job(100));
    expect(outcome).toEqual({ kind: 'failed', error: jasmine.objectContaining({ code: ClientErrorCode.Network }) });
    expect(socket.requests('upload:begin').length).toBe(4);
    expect(socket.requests('upload:chunk')).toEqual([]);
  });

  it("returns the server's error without retrying when the photo is refused", async () => {
    server.intercept = (event) =>
      event === 'upload:commit' ? err(ErrorCode.UnsupportedType, 'Not an image.') : undefined;
    const outcome = await service.upload(job(100));
    expect(outcome).toEqual({
      kind: 'failed',
      error: { code: ErrorCode.UnsupportedType, message: 'Not an image.' },
    });
    expect(socket.requests('upload:commit').length).toBe(1);
  });

  it('gives up instead of looping when the server offset never advances', async () => {
    server.intercept = (event) => (event === 'upload:chunk' ? { ok: true, value: { offset: 0 } } : undefined);
    const outcome = await service.upload(job(100));
    expect(outcome.kind).toBe('failed');
    expect(socket.requests('upload:chunk').length).toBeLessThan(10);
  });

  it('stops at once when cancelled mid-chunk and tells the server to abort', async () => {
    server.intercept = (event) => (event === 'upload:chunk' ? new Promise(() => undefined) : undefined);
    const controller = new AbortController();
    const pending = service.upload(job(100), {}, controller.signal);
    await flush();
    controller.abort();

    expect((await pending).kind).toBe('cancelled');
    await flush();
    expect(server.aborted).toEqual([...server.uploads.keys()]);
    expect(socket.requests('upload:commit')).toEqual([]);
  });
  describe('when the server fails rather than the photo', () => {
    const idFor = (i: number) => `id${i}`.padEnd(22, 'A');

    /** Answers the first matching request with `reply`; the fake server answers every other one. */
    function once(event: RequestName, reply: unknown, when: (payload: any) => boolean = () => true): FakeHandler {
      let used = false;
      return (name, payload) => {
        if (used || name !== event || !when(payload)) return undefined;
        used = true;
        return reply;
      };
    }

    it('retries a begin for exactly the shared retryable codes and for nothing else', async () => {
      // Both are waits with their own specs: paused waits for the host, storage full for room.
      const codes = Object.values(ErrorCode).filter((c) => c !== ErrorCode.UploadsPaused && c !== ErrorCode.StorageFull);
      for (const [i, code] of codes.entries()) {
        server.intercept = once('upload:begin', err(code, 'No.'));
        socket.sent.length = 0;
        const outcome = await service.upload(job(10, { clientUploadId: idFor(i) }));
        const begins = socket.requests('upload:begin').length;
        if (isRetryable(code)) {
          expect(outcome.kind).withContext(code).toBe('done');
          expect(begins).withContext(code).toBe(2);
        } else {
          expect(outcome).withContext(code).toEqual({ kind: 'failed', error: { code, message: 'No.' } });
          expect(begins).withContext(code).toBe(1);
        }
      }
    });

    it('keeps asking a busy server past the retry budget, then goes on', async () => {
      tuning.retryDelaysMs = [0, 0];
      let refusals = 6;
      server.intercept = (event) => (event === 'upload:begin' && refusals-- > 0 ? err(ErrorCode.ServerBusy, 'Busy.') : undefined);
      const outcome = await service.upload(job(10));
      expect(outcome.kind).toBe('done');
      expect(socket.requests('upload:begin').length).toBe(7);
    });

    it('waits while storage is full on begin, at the last backoff step and past the retry budget, then goes on', async () => {
      tuning.retryDelaysMs = [0, 0, 30];
      const beganAt: number[] = [];
      server.intercept = (event) => {
        if (event !== 'upload:begin') return undefined;
        beganAt.push(performance.now());
        return beganAt.length <= 5 ? err(ErrorCode.StorageFull, 'Disk at reserve.') : undefined;
      };
      const waiting: boolean[] = [];
      const retrying: boolean[] = [];
      const outcome = await service.upload(job(CHUNK_SIZE + 5), {
        onStorageFull: (w) => waiting.push(w),
        onRetrying: (r) => retrying.push(r),
      });

      expect(outcome.kind).toBe('done');
      expect(beganAt.length).toBe(6); // five refusals, more than the three retries a failure gets
      const gaps = beganAt.slice(1).map((t, i) => t - beganAt[i]!);
      for (const gap of gaps) expect(gap).withContext('ms between begins').toBeGreaterThanOrEqual(25);
      expect(waiting).toEqual([true, false]);
      expect(retrying).not.toContain(true); // a full disk is a wait, not a hiccup
      expectIntact(CHUNK_SIZE + 5);
    });

    it('resumes from the server offset after STORAGE_FULL on a chunk, sending no acknowledged byte again', async () => {
      const size = 4 * CHUNK_SIZE + 10;
      let full = false;
      let refusedBegins = 0;
      server.intercept = (event, payload) => {
        if (event === 'upload:chunk' && payload.offset === 2 * CHUNK_SIZE && refusedBegins === 0) full = true;
        if (!full) return undefined;
        if (event === 'upload:begin' && ++refusedBegins === 2) full = false;
        // The disk reached its reserve: the server refuses and acks nothing for the refused chunks.
        return err(ErrorCode.StorageFull, 'Disk at reserve.');
      };
      const waiting: boolean[] = [];
      const outcome = await service.upload(job(size), { onStorageFull: (w) => waiting.push(w) });

      expect(outcome.kind).toBe('done');
      expectIntact(size);
      const offsets = socket.requests('upload:chunk').map((c) => c.offset);
      // The window refilled after the first ack, so 4 went out before the refusals came back.
      expect(offsets).toEqual([0, 1, 2, 3, 4, 2, 3, 4].map((i) => i * CHUNK_SIZE));
      // Only the three refused chunks went out twice; the acknowledged ones once.
      expect(server.chunkBytesReceived).toBe(size + 2 * CHUNK_SIZE + 10);
      expect(socket.requests('upload:begin').length).toBe(4);
      expect(waiting).toEqual([true, false]);
    });

    it('waits for room when commit answers STORAGE_FULL, then commits the held upload without re-sending bytes', async () => {
      const size = 2 * CHUNK_SIZE + 7;
      let refusals = 4; // more than the retry budget: a full disk does not use it up
      server.intercept = (event) => (event === 'upload:commit' && refusals-- > 0 ? err(ErrorCode.StorageFull, 'Full.') : undefined);
      const outcome = await service.upload(job(size));
      expect(outcome.kind).toBe('done');
      expect(socket.requests('upload:commit').length).toBe(5);
      expect(socket.requests('upload:begin').length).toBe(1);
      expect(server.chunkBytesReceived).toBe(size);
    });

    it('stops waiting for room at once when cancelled, and tells the server to abort', async () => {
      tuning.retryDelaysMs = [0, 60_000];
      server.intercept = (event) => (event === 'upload:commit' ? err(ErrorCode.StorageFull, 'Full.') : undefined);
      const controller = new AbortController();
      const waiting: boolean[] = [];
      const pending = service.upload(job(100), { onStorageFull: (w) => waiting.push(w) }, controller.signal);
      // Reading the file slice is real I/O: poll rather than guess how many ticks it takes.
      for (let tick = 0; tick < 100 && waiting.length === 0; tick++) await flush(1);
      expect(waiting).toEqual([true]);
      controller.abort();

      expect((await pending).kind).toBe('cancelled');
      expect(waiting).toEqual([true, false]);
      await flush();
      expect(server.aborted).toEqual([...server.uploads.keys()]);
    });

    it('retries only the commit after INTERNAL: zero chunk bytes sent again', async () => {
      const size = 2 * CHUNK_SIZE + 7;
      let failures = 2;
      server.intercept = (event) => (event === 'upload:commit' && failures-- > 0 ? err(ErrorCode.Internal, 'Disk hiccup.') : undefined);
      const retrying: boolean[] = [];
      const outcome = await service.upload(job(size), { onRetrying: (r) => retrying.push(r) });

      expect(outcome.kind).toBe('done');
      expect(socket.requests('upload:commit').length).toBe(3);
      expect(socket.requests('upload:begin').length).toBe(1);
      expect(server.chunkBytesReceived).toBe(size);
      expect(retrying).toContain(true);
      expect(retrying.at(-1)).toBeFalse();
    });

    it('fails with the server error once INTERNAL on commit outlasts the retry budget', async () => {
      server.intercept = (event) => (event === 'upload:commit' ? err(ErrorCode.Internal, 'Broken.') : undefined);
      const outcome = await service.upload(job(100));
      expect(outcome).toEqual({ kind: 'failed', error: { code: ErrorCode.Internal, message: 'Broken.' } });
      expect(socket.requests('upload:commit').length).toBe(4);
      expect(server.chunkBytesReceived).toBe(100);
    });

    it('backs off and resumes through begin after INTERNAL on a chunk', async () => {
      const size = 2 * CHUNK_SIZE + 7;
      server.intercept = once('upload:chunk', err(ErrorCode.Internal, 'EIO.'), (chunk) => chunk.offset === CHUNK_SIZE);
      const outcome = await service.upload(job(size));

      expect(outcome.kind).toBe('done');
      expectIntact(size);
      expect(socket.requests('upload:begin').length).toBe(2);
      expect(socket.requests('upload:chunk').filter((c) => c.offset === 0).length).toBe(1);
    });

    it('fails with INTERNAL, not a connection error, when chunks keep failing past the retry budget', async () => {
      // Every chunk fails, so the offset never moves (progress would renew the budget).
      server.intercept = (event) => (event === 'upload:chunk' ? err(ErrorCode.Internal, 'EIO.') : undefined);
      const outcome = await service.upload(job(2 * CHUNK_SIZE));
      expect(outcome).toEqual({ kind: 'failed', error: { code: ErrorCode.Internal, message: 'EIO.' } });
      expect(socket.requests('upload:begin').length).toBe(4);
    });

    it('fails at once, without a retry, when commit refuses the photo itself', async () => {
      const permanent: Code[] = [
        ErrorCode.CorruptImage,
        ErrorCode.TooManyPixels,
        ErrorCode.HeicUnsupported,
        ErrorCode.TooLarge,
        ErrorCode.UnsupportedType,
      ];
      for (const [i, code] of permanent.entries()) {
        server.intercept = (event) => (event === 'upload:commit' ? err(code, 'No.') : undefined);
        socket.sent.length = 0;
        const retrying: boolean[] = [];
        const outcome = await service.upload(job(100, { clientUploadId: idFor(i) }), { onRetrying: (r) => retrying.push(r) });
        expect(outcome).withContext(code).toEqual({ kind: 'failed', error: { code, message: 'No.' } });
        expect(socket.requests('upload:commit').length).withContext(code).toBe(1);
        expect(retrying).withContext(code).toEqual([]);
      }
    });
  });
});
