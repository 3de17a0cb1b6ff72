/**
 * A whole upload's bytes become the photo's private source while its display and thumb are made
 * (PhotoStore.stageBlob inside the processing turn), so the wall does not wait for the copy after
 * the variants; a photo that cannot be made leaves nothing of the staged copy. Both stores.
 */
import sharp from 'sharp';
import { ErrorCode } from '@photobook/shared';
import { collect } from '../../server/store/blob-body';
import type { StagedFile } from '../../server/store/types';
import { commitSlowly as commit, openUpload } from '../fixtures/heavy-images';
import { sidewaysJpegWithGps } from '../fixtures/images';
import { useServerWithGuests } from '../fixtures/server';

/** Whether sharp has work queued or running (this process's libvips) within `ms`. */
async function libvipsAtWork(ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    const { queue, process } = sharp.counters();
    if (queue + process > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return false;
}

describe("a whole upload's source, stored while its variants are made", () => {
  const env = useServerWithGuests();

  /**
   * Notes, for each staging, how many images held a processing turn as it began, and whether libvips
   * then started on the photo before the staged write did (it runs beside the decode, not after it).
   */
  function watchStaging(): { readonly runningAtStage: number[]; readonly besideDecode: boolean[]; readonly staged: StagedFile[] } {
    const { store, app } = env.server;
    const seen = { runningAtStage: [] as number[], besideDecode: [] as boolean[], staged: [] as StagedFile[] };
    const stage = store.stageBlob.bind(store);
    spyOn(store, 'stageBlob').and.callFake(async (blob, startedAt) => {
      seen.runningAtStage.push(app.uploads.processingLoad.running);
      seen.besideDecode.push(await libvipsAtWork(5_000));
      const staged = await stage(blob, startedAt);
      seen.staged.push(staged);
      return staged;
    });
    return seen;
  }

  it('is written during the photo\'s processing turn, once, and read back as the bytes sent', async () => {
    const seen = watchStaging();
    const guest = await env.connect();
    const bytes = await sidewaysJpegWithGps();
    const result = await commit(guest, await openUpload(guest, bytes, 'image/jpeg'));
    expect(result.ok).toBeTrue();
    expect(seen.runningAtStage).withContext('staged inside the turn').toEqual([1]);
    expect(seen.besideDecode).withContext('staged while libvips works on the photo').toEqual([true]);
    expect(seen.staged).toEqual([{ kind: 'source', contentType: 'image/jpeg', bytes: bytes.length }]);
    const source = await env.server.store.readVariant(result.ok ? result.value.id : '', 'source');
    expect(source && (await collect(source.body)).equals(bytes)).toBeTrue();
    expect((await env.server.store.sweepOrphans(Date.now() + 60_000)).removed).withContext('nothing left to sweep').toBe(0);
  });

  it('is removed at once when the image cannot be decoded (CORRUPT_IMAGE leaves nothing)', async () => {
    const seen = watchStaging();
    const guest = await env.connect();
    const whole = await sidewaysJpegWithGps();
    // A JPEG's magic bytes and header, then nothing a decoder can use.
    const broken = Buffer.concat([whole.subarray(0, 2048), Buffer.alloc(whole.length, 0x5a)]);
    const result = await commit(guest, await openUpload(guest, broken, 'image/jpeg'));
    expect(result.ok ? 'ok' : result.error.code).toBe(ErrorCode.CorruptImage);
    expect(seen.staged.length).withContext('it was staged').toBe(1);
    expect(await env.server.store.listPhotos(10)).toEqual([]);
    expect((await env.server.store.sweepOrphans(Date.now() + 60_000)).removed).withContext('nothing left to sweep').toBe(0);
  });
});
