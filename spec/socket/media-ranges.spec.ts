/**
 * Images served by content key keep their caching and answer byte ranges (HTTP's end is inclusive;
 * GridFS's exclusive), from either store (STORE=mongo runs this on MongoDB).
 */
import { noisyJpeg } from '../fixtures/hostile-files';
import { guestCookie, useServerWithGuests, uploadFile } from '../fixtures/server';

describe('serving images with byte ranges', () => {
  const suite = useServerWithGuests();
  let url: string;
  let whole: Buffer;

  beforeEach(async () => {
    const guest = await suite.connect(guestCookie().cookie);
    const stored = await uploadFile(guest, await noisyJpeg(640, 480));
    if (!stored.ok) throw new Error(stored.error.code);
    url = `${suite.server.url}${stored.value.displayUrl}`;
    const res = await fetch(url);
    whole = Buffer.from(await res.arrayBuffer());
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  const get = (range: string) => fetch(url, { headers: { range } });

  it('answers a range with 206, its Content-Range and exactly those bytes', async () => {
    expect(whole.length).toBeGreaterThan(1000);
    const res = await get('bytes=100-999');
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 100-999/${whole.length}`);
    expect(res.headers.get('content-length')).toBe('900');
    expect(Buffer.from(await res.arrayBuffer()).equals(whole.subarray(100, 1000))).toBeTrue();
  });

  it('answers an open-ended and a suffix range, up to the last byte', async () => {
    const open = await get(`bytes=${whole.length - 10}-`);
    expect(Buffer.from(await open.arrayBuffer()).equals(whole.subarray(whole.length - 10))).toBeTrue();
    const suffix = await get('bytes=-1');
    expect(suffix.headers.get('content-range')).toBe(`bytes ${whole.length - 1}-${whole.length - 1}/${whole.length}`);
    expect(Buffer.from(await suffix.arrayBuffer()).equals(whole.subarray(whole.length - 1))).toBeTrue();
  });

  it('refuses a range past the end, and several ranges at once, with 416', async () => {
    const past = await get(`bytes=${whole.length}-${whole.length + 10}`);
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${whole.length}`);
    expect((await get('bytes=0-1,10-20')).status).toBe(416);
  });

  it('still answers a matching ETag with 304 before any range', async () => {
    const etag = (await fetch(url, { method: 'HEAD' })).headers.get('etag')!;
    const res = await fetch(url, { headers: { range: 'bytes=0-9', 'if-none-match': etag } });
    expect(res.status).toBe(304);
  });
});
