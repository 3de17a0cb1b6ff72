/** A data directory holding `count` photos, written through the embedded store itself (tiny blobs). */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { NewBlob } from '../../server/store/types';
import { DEFAULT_EMBEDDED_OPTIONS, SqliteStore } from '../../server/store/embedded/sqlite-store';

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

export async function seededDataDir(count: number): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `photobook-bench-seed-${count}-`));
  const store = await SqliteStore.open(dir, { ...DEFAULT_EMBEDDED_OPTIONS, syncWrites: false });
  const owners = Array.from({ length: OWNERS }, () => randomBytes(32).toString('base64url'));
  const start = Date.now() - count * 60_000;
  try {
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
  } finally {
    await store.close();
  }
  return dir;
}
