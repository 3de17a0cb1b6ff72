/** Records and blobs for the store contract: unique ids and bytes, so cases never collide. */
import type { NewBlob, NewPhoto, NewUpload } from '../../server/store/types';
import { memoryBlob } from '../fixtures/blobs';

let counter = 0;
const uniq = (prefix: string) => `${prefix}${String(++counter).padStart(8, '0')}`;

export function newUpload(overrides: Partial<NewUpload> = {}): NewUpload {
  return {
    id: uniq('upload'),
    ownerId: 'ownerAAAAAAAAAAAAAAAAA',
    addressKey: null,
    clientUploadId: uniq('client'),
    name: 'IMG_0001.jpg',
    size: 10,
    type: 'image/jpeg',
    caption: 'Cake!',
    author: 'Ana',
    createdAt: 1_000,
    ...overrides,
  };
}

export function blob(kind: NewBlob['kind'], text: string): NewBlob {
  return memoryBlob(kind, Buffer.from(text));
}

export function newPhoto(overrides: Partial<NewPhoto> = {}): NewPhoto {
  const tag = uniq('bytes');
  return {
    id: uniq('photo'),
    ownerId: 'ownerAAAAAAAAAAAAAAAAA',
    clientUploadId: uniq('client'),
    caption: 'First dance',
    author: 'Ben',
    createdAt: 2_000,
    blobs: [blob('original', `o-${tag}`), blob('display', `d-${tag}`), blob('thumb', `t-${tag}`)],
    ...overrides,
  };
}

export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Buffer));
  return Buffer.concat(parts);
}
