import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { CHUNK_SIZE, ErrorCode, err } from '@photobook/shared';
import { FakeSocket, NO_REPLY, flush } from '../../testing/fake-socket';
import { FakeUploadServer, patternBytes } from '../../testing/fake-upload-server';
import { ClientErrorCode } from '../core/client-result';
import { REALTIME_SOCKET_FACTORY } from '../core/realtime.service';
import { UPLOAD_TUNING, UploadService, type UploadJob } from './upload.service';

describe('UploadService', () => {
  let socket: FakeSocket;
  let server: FakeUploadServer;
  let service: UploadService;

  beforeEach(() => {
    socket = new FakeSocket();
    server = new FakeUploadServer();
    socket.handler = server.handle;
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        { provide: REALTIME_SOCKET_FACTORY, useValue: () => socket },
        { provide: UPLOAD_TUNING, useValue: { retryDelaysMs: [0, 0, 0], requestTimeoutMs: 20 } },
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

  it('sends the file in CHUNK_SIZE pieces, one ack at a time, and commits', async () => {
    const size = 2 * CHUNK_SIZE + 1000;
    const progress: number[] = [];
    const outcome = await service.upload(job(size), { onProgress: (n) => progress.push(n) });

    expect(outcome.kind).toBe('done');
    const chunks = socket.requests('upload:chunk');
    expect(chunks.map((c) => c.offset)).toEqual([0, CHUNK_SIZE, 2 * CHUNK_SIZE]);
    expect(chunks.map((c) => (c.data as ArrayBuffer).byteLength)).toEqual([CHUNK_SIZE, CHUNK_SIZE, 1000]);
    expectIntact(size);
    expect(socket.sent.map((s) => s.event)).toEqual([
      'upload:begin', 'upload:chunk', 'upload:chunk', 'upload:chunk', 'upload:commit',
    ]);
    expect(progress.at(-1)).toBe(size);
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
    // This server only keeps the first half of each chunk.
    server.intercept = (event, payload) => {
      if (event !== 'upload:chunk') return undefined;
      const upload = server.uploads.get(payload.uploadId)!;
      const half = new Uint8Array(payload.data as ArrayBuffer).subarray(0, CHUNK_SIZE / 2);
      upload.bytes.set(half, upload.offset);
      upload.offset += half.byteLength;
      return { ok: true, value: { offset: upload.offset } };
    };
    const outcome = await service.upload(job(size));
    expect(outcome.kind).toBe('done');
    expect(socket.requests('upload:chunk').map((c) => c.offset)).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => (i * CHUNK_SIZE) / 2),
    );
    expectIntact(size);
  });

  it('resumes from where the server already is when begin reports an offset', async () => {
    const size = 2 * CHUNK_SIZE;
    await service.upload(job(size), {}, undefined);
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
    expect(socket.requests('upload:chunk').map((c) => c.offset)).toEqual([0, 100, 100 + CHUNK_SIZE]);
    expectIntact(size);
  });

  it('retries a chunk whose ack timed out and reports the retrying state', async () => {
    let dropped = 0;
    server.intercept = (event) => (event === 'upload:chunk' && dropped++ < 2 ? NO_REPLY : undefined);
    const retrying: boolean[] = [];
    const outcome = await service.upload(job(CHUNK_SIZE + 5), { onRetrying: (r) => retrying.push(r) });

    expect(outcome.kind).toBe('done');
    expect(socket.requests('upload:chunk').map((c) => c.offset)).toEqual([0, 0, 0, CHUNK_SIZE]);
    expect(retrying).toEqual([true, true, false]);
    expectIntact(CHUNK_SIZE + 5);
  });

  it('fails with a NETWORK error once the retries are used up', async () => {
    server.intercept = (event) => (event === 'upload:chunk' ? NO_REPLY : undefined);
    const outcome = await service.upload(job(100));
    expect(outcome).toEqual({ kind: 'failed', error: jasmine.objectContaining({ code: ClientErrorCode.Network }) });
    expect(socket.requests('upload:chunk').length).toBe(4);
    expect(socket.requests('upload:commit')).toEqual([]);
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
});
