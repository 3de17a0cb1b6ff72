import { CHUNK_SIZE, ErrorCode, err } from '@photobook/shared';
import { FakeUploadServer, patternBytes } from '../../../testing/fake-upload-server';
import { networkError, toClientResult } from '../../core/client-result';
import type { NetworkState } from './network-watch';
import { UploadRunner, type UploadConnection } from './upload-runner';

/**
 * The protocol core on its own, as the browser extension uses it: plain objects for the connection
 * and the network, no Angular injector (the phone's UploadService specs cover the rest through it).
 */
describe('UploadRunner without a framework', () => {
  let server: FakeUploadServer;
  let resume: () => void;
  let resumed: Promise<void>;
  let connection: UploadConnection;
  const network: NetworkState = { online: () => true, whenOnline: async () => undefined, sleep: async () => undefined };
  const sent: string[] = [];

  beforeEach(() => {
    server = new FakeUploadServer();
    sent.length = 0;
    resumed = new Promise((resolve) => (resume = resolve));
    connection = {
      request: async (event, payload) => {
        sent.push(event);
        const reply = await server.handle(event, payload);
        return typeof reply === 'symbol' ? { ok: false, error: networkError() } : toClientResult(reply);
      },
      whenConnected: async () => true,
      whenUploadsResume: () => resumed,
    };
  });

  const runner = () => new UploadRunner({ connection, network, tuning: { retryDelaysMs: [0, 0], requestTimeoutMs: 50 }, jitter: () => 1 });
  const job = (size: number) => ({
    file: new Blob([patternBytes(size)], { type: 'image/jpeg' }),
    name: 'sent-from-a-page.jpg',
    clientUploadId: 'CCCCCCCCCCCCCCCCCCCCCC',
    caption: '',
    author: 'Ana',
  });

  it('begins, sends every chunk and commits, the bytes arriving intact', async () => {
    const size = 3 * CHUNK_SIZE + 5;
    const outcome = await runner().upload(job(size));

    expect(outcome.kind).toBe('done');
    expect(sent[0]).toBe('upload:begin');
    expect(sent.filter((e) => e === 'upload:chunk').length).toBe(4);
    expect(sent.at(-1)).toBe('upload:commit');
    const received = server.onlyUpload().bytes;
    const expected = patternBytes(size);
    expect(received.findIndex((byte, i) => byte !== expected[i])).toBe(-1);
  });

  it('waits while the host has paused uploads, telling the observer the host’s words, and goes on once resumed', async () => {
    let refusals = 1;
    server.intercept = (event) => (event === 'upload:begin' && refusals-- > 0 ? err(ErrorCode.UploadsPaused, 'Speeches now') : undefined);
    const paused: Array<string | null> = [];
    const outcome = runner().upload(job(10), { onPaused: (message) => paused.push(message) });
    await new Promise((r) => setTimeout(r, 20));
    expect(paused).toEqual(['Speeches now']);

    resume();
    expect((await outcome).kind).toBe('done');
    expect(paused).toEqual(['Speeches now', null]);
  });

  it('ends with the server’s permanent refusal, unretried', async () => {
    server.intercept = (event) => (event === 'upload:chunk' ? err(ErrorCode.UnsupportedType, 'Not an image.') : undefined);
    const outcome = await runner().upload(job(10));
    expect(outcome).toEqual({ kind: 'failed', error: { code: ErrorCode.UnsupportedType, message: 'Not an image.' } });
    expect(sent.filter((e) => e === 'upload:begin').length).toBe(1);
  });
});
