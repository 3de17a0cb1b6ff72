import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { backupDataDir } from '../../server/store/embedded/backup';
import { DEFAULT_EMBEDDED_OPTIONS, SqliteStore } from '../../server/store/embedded/sqlite-store';
import { noisyJpeg } from '../fixtures/hostile-files';
import { beginUpload, connectClient, guestCookie, sendChunks, startTestServer, uploadFile, type TestServer } from '../fixtures/server';

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Buffer));
  return Buffer.concat(parts);
}

describe('backing up a data directory (npm run backup)', () => {
  let server: TestServer;
  let target: string;

  beforeEach(async () => {
    server = await startTestServer();
    target = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-backup-')), 'copy');
  });
  afterEach(async () => {
    await server.close();
    await fs.rm(path.dirname(target), { recursive: true, force: true });
  });

  it('copies a running server’s photos and images into a folder the server can start on', async () => {
    const socket = await connectClient(server.url, { cookie: guestCookie().cookie });
    for (const size of [[300, 200], [200, 300]] as const) expect((await uploadFile(socket, await noisyJpeg(...size))).ok).toBeTrue();
    const partial = await noisyJpeg(600, 400);
    const uploadId = await beginUpload(socket, 'backup-partial-1', partial.length);
    await sendChunks(socket, uploadId, partial, 0, 1000);
    socket.disconnect();

    const report = await backupDataDir(server.dataDir, target);
    expect(report).toEqual({ photos: 2, mediaFiles: 6 });
    await fs.writeFile(path.join(target, 'cookie-secret'), 'x', { flag: 'a' }).catch(() => undefined);

    const restored = await SqliteStore.open(target, DEFAULT_EMBEDDED_OPTIONS);
    try {
      const [live, copy] = [await server.store.listPhotos(10), await restored.listPhotos(10)];
      expect(copy.map((p) => p.id)).toEqual(live.map((p) => p.id));
      for (const v of live.flatMap((p) => p.variants.filter((x) => x.kind === 'display' || x.kind === 'thumb'))) {
        const [a, b] = [await server.store.openMedia(v.key), await restored.openMedia(v.key)];
        expect((await readAll(b!.open())).equals(await readAll(a!.open()))).withContext(v.key).toBeTrue();
      }
      expect(await restored.getUpload(uploadId)).withContext('partial uploads are not part of a backup').toBeNull();
    } finally {
      await restored.close();
    }
  });

  it('refuses to write into a folder that already holds files', async () => {
    await fs.mkdir(target, { recursive: true });
    await fs.writeFile(path.join(target, 'keep.txt'), 'mine');
    await expectAsync(backupDataDir(server.dataDir, target)).toBeRejectedWithError(/not empty/);
    expect(await fs.readdir(target)).toEqual(['keep.txt']);
  });
});
