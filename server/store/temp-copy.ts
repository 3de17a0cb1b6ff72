import { mkdtemp, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UploadFile } from './types';

/**
 * Copies pieces to a file of its own in the system's temp directory, for a store that keeps no
 * local file (MongoDB): the decoder then reads a file in order instead of one Buffer of the whole
 * upload. release() removes it; one left by a crash is the temp directory's to clear.
 */
export async function tempCopy(pieces: AsyncIterable<Uint8Array>): Promise<UploadFile> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'photobook-upload-'));
  const release = () => rm(dir, { recursive: true, force: true });
  const file = path.join(dir, 'upload');
  let bytes = 0;
  try {
    const counted = async function* () {
      for await (const piece of pieces) {
        bytes += piece.byteLength;
        yield piece;
      }
    };
    await pipeline(Readable.from(counted()), createWriteStream(file));
  } catch (e) {
    await release();
    throw e;
  }
  return { path: file, bytes, release };
}
