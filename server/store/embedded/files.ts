import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Disk } from './disk';

/** Blobs are named by their bytes' sha256 plus an extension from the content type. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/webp': 'webp',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'application/pdf': 'pdf',
};

export function extensionOf(contentType: string): string {
  return EXTENSIONS[contentType] ?? 'bin';
}

/** A blob whose bytes are still arriving (named at random until its content is known). */
export function isIncoming(key: string): boolean {
  return key.startsWith('incoming-') && key.endsWith('.tmp');
}

/** Temp files of an atomic write sit beside their target: `<name>.<random>.tmp`. */
export function isTempOf(name: string, target: string): boolean {
  return name.startsWith(`${target}.`) && name.endsWith('.tmp');
}

/** Makes a rename or unlink in `dir` itself survive a power cut (POSIX needs the directory synced). */
export function syncDir(disk: Disk, dir: string): Promise<void> {
  return syncFile(disk, dir);
}

export async function syncFile(disk: Disk, file: string): Promise<void> {
  const handle = await disk.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes pieces to a new file, hashing them on the way; with `sync`, fsynced before it returns. A
 * failed or short write removes the file (best effort; the caller's intent covers the rest).
 */
export async function writeStream(
  disk: Disk,
  file: string,
  pieces: AsyncIterable<Uint8Array>,
  sync: boolean,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const handle = await disk.open(file, 'wx');
    try {
      for await (const piece of pieces) {
        const { bytesWritten } = await handle.write(piece, 0, piece.byteLength, bytes);
        if (bytesWritten !== piece.byteLength) {
          throw Object.assign(new Error(`short write: ${bytesWritten} of ${piece.byteLength} bytes`), { code: 'ESHORTWRITE' });
        }
        hash.update(piece);
        bytes += piece.byteLength;
      }
      if (sync) await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (e) {
    await disk.rm(file, { force: true }).catch(() => undefined);
    throw e;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export async function fileSize(disk: Disk, file: string): Promise<number | null> {
  try {
    return (await disk.stat(file)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** A file in pieces of at most `pieceBytes`, each in a buffer of its own; nothing for a missing file. */
export async function* readPieces(disk: Disk, file: string, pieceBytes: number): AsyncIterable<Uint8Array> {
  let handle: Awaited<ReturnType<Disk['open']>>;
  try {
    handle = await disk.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    for (let at = 0; ; ) {
      const piece = Buffer.alloc(pieceBytes);
      const { bytesRead } = await handle.read(piece, 0, pieceBytes, at);
      if (bytesRead === 0) return;
      yield piece.subarray(0, bytesRead);
      at += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
