/**
 * `count` photos with tiny blobs written through a store's own createPhoto, so the same seeding
 * fills either store. The server child calls it before it reports ready (cost-growth's stores).
 */
import { randomBytes } from 'node:crypto';
import type { NewBlob, PhotoStore } from '../../server/store/types';

const OWNERS = 50;

function tinyBlob(kind: NewBlob['kind'], text: string): NewBlob {
  const bytes = Buffer.from(text);
  return {
    kind,
    contentType: 'image/webp',
    width: kind === 'thumb' ? 400 : 1920,
    height: kind === 'thumb' ? 300 : 1440,
    bytes: bytes.length,
    body: async function* body() {
      yield bytes;
    },
  };
}

export async function seedPhotos(store: Pick<PhotoStore, 'createPhoto'>, count: number): Promise<void> {
  const owners = Array.from({ length: OWNERS }, () => randomBytes(32).toString('base64url'));
  const start = Date.now() - count * 60_000;
  for (let i = 0; i < count; i++) {
    const id = randomBytes(16).toString('base64url');
    await store.createPhoto({
      id,
      ownerId: owners[i % OWNERS]!,
      clientUploadId: `seed-${i}`,
      caption: `Seeded photo ${i}`,
      author: `Guest ${i % OWNERS}`,
      createdAt: start + i * 60_000,
      blobs: [tinyBlob('display', `display ${id}`), tinyBlob('thumb', `thumb ${id}`)],
    });
  }
}
