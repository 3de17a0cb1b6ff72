/**
 * The archive job yields to photos on their way to the wall before each of its steps (archiveStep's
 * pace): a copy that started between two photos waits, mid-way, while the next one is processed.
 * On the store the run picks (embedded, or MongoDB with STORE=mongo).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { archiveStep } from '../../server/jobs/archive-job';
import { silentLogger } from '../../server/errors';
import { blob, newPhoto, readAll } from '../store/contract-fixtures';
import { openSpecStore, type SpecStore } from '../fixtures/spec-store';

describe('the archive job, between photos', () => {
  let dir: string;
  let spec: SpecStore;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-archive-pace-'));
    spec = await openSpecStore(dir);
  });
  afterEach(async () => {
    await spec.store.close();
    await spec.drop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('asks its pace before claiming, before stripping and before storing, and goes on only when let', async () => {
    const { store } = spec;
    const photo = await store.createPhoto(newPhoto({ blobs: [blob('source', 'SOURCE BYTES'), blob('display', 'D'), blob('thumb', 'T')] }));
    const steps: string[] = [];
    const gates: Array<() => void> = [];
    const pace = () =>
      new Promise<void>((resolve) => {
        steps.push(`pace ${gates.length + 1}`);
        gates.push(resolve);
      });
    const stepping = archiveStep({
      store,
      logger: silentLogger,
      now: Date.now,
      scratchDir: dir,
      worker: 'pace-spec',
      pace,
      stripper: {
        strip: async (file) => {
          steps.push('strip');
          await fs.writeFile(file, 'STRIPPED');
        },
      },
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    for (let gate = 0; gate < 3; gate++) {
      await settle();
      expect(gates.length).withContext(`held at pace ${gate + 1}`).toBe(gate + 1);
      // Held: nothing of the copy was stored meanwhile.
      expect((await store.getPhoto(photo.id))!.variants.map((v) => v.kind)).toContain('source');
      gates[gate]!();
    }
    expect(await stepping).toBeTrue();
    expect(steps).toEqual(['pace 1', 'pace 2', 'strip', 'pace 3']);
    const original = await store.readVariant(photo.id, 'original');
    expect((await readAll(original!.body)).toString()).toBe('STRIPPED');
  });
});
