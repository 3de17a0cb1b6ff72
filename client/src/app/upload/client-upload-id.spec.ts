import { newClientUploadId } from './client-upload-id';

describe('newClientUploadId', () => {
  it('makes 22 URL-safe characters from 16 random bytes', () => {
    const id = newClientUploadId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('maps bytes to base64url without padding', () => {
    const fixed = { getRandomValues: <T extends ArrayBufferView | null>(array: T) => {
      (array as unknown as Uint8Array).fill(0xfb);
      return array;
    } };
    expect(newClientUploadId(fixed as Pick<Crypto, 'getRandomValues'>)).toBe('-_v7-_v7-_v7-_v7-_v7-w');
  });

  it('gives different ids to different photos', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newClientUploadId()));
    expect(ids.size).toBe(50);
  });
});
