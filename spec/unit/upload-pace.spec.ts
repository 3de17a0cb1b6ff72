import { CHUNK_SIZE, INITIAL_CHUNKS_AHEAD, MIN_CHUNKS_AHEAD, UPLOAD_WINDOW, UploadPace } from '@photobook/shared';

describe('the pace of one upload’s chunks (UP3)', () => {
  const MB = 1024 * 1024;

  it('sends INITIAL_CHUNKS_AHEAD until the first ack, never more than the server’s window', () => {
    expect(new UploadPace(UPLOAD_WINDOW, CHUNK_SIZE, 0, 0).chunksAhead()).toBe(INITIAL_CHUNKS_AHEAD);
    expect(new UploadPace(3, CHUNK_SIZE, 0, 0).chunksAhead()).toBe(3);
  });

  it('opens the whole window on a LAN, where a chunk is acked within a millisecond or two', () => {
    const pace = new UploadPace(UPLOAD_WINDOW, CHUNK_SIZE, 0, 1000);
    pace.acked(CHUNK_SIZE, 1001.5);
    expect(pace.chunksAhead()).toBe(UPLOAD_WINDOW);
  });

  it('keeps about half a second of bytes in flight at 20 Mbit/s, and MIN_CHUNKS_AHEAD at 2 Mbit/s', () => {
    const at = (bytesPerS: number) => {
      const pace = new UploadPace(UPLOAD_WINDOW, CHUNK_SIZE, 0, 0);
      for (let t = 1; t <= 4; t++) pace.acked(bytesPerS * t, 1000 * t);
      return pace.chunksAhead();
    };
    expect(at(2.5 * 1000 * 1000)).toBe(Math.ceil((2.5e6 * 0.5) / CHUNK_SIZE)); // 5
    expect(at(0.25 * 1000 * 1000)).toBe(MIN_CHUNKS_AHEAD);
  });

  it('follows a link that slows down within two seconds, forgetting the fast start', () => {
    const pace = new UploadPace(UPLOAD_WINDOW, CHUNK_SIZE, 0, 0);
    pace.acked(8 * MB, 10); // a burst over the LAN
    expect(pace.chunksAhead()).toBe(UPLOAD_WINDOW);
    let offset = 8 * MB;
    for (let t = 1000; t <= 4000; t += 250) pace.acked((offset += 60_000), t); // then 240 KB/s
    expect(pace.chunksAhead()).toBe(MIN_CHUNKS_AHEAD);
  });

  it('counts from where a resumed upload starts, not from byte 0', () => {
    const pace = new UploadPace(UPLOAD_WINDOW, CHUNK_SIZE, 10 * MB, 0);
    pace.acked(10 * MB + 125_000, 1000);
    expect(pace.chunksAhead()).toBe(MIN_CHUNKS_AHEAD);
  });
});
