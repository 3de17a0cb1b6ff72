import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Disk } from './disk';

/** Content-addressed key: the bytes' sha256 plus an extension from the content type. */
export function blobKey(data: Uint8Array, contentType: string): string {
  const ext = contentType === 'image/webp' ? 'webp' : contentType === 'image/jpeg' ? 'jpg' : 'bin';
  return `${createHash('sha256').update(data).digest('hex')}.${ext}`;
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
 * Writes a file so that readers see either nothing or all of it; with `sync`, it also survives a
 * power cut. A failed write removes its temp file (best effort; the caller's intent covers the rest).
 */
export async function writeFileAtomic(disk: Disk, file: string, data: Uint8Array, sync: boolean): Promise<void> {
  // A new prefix folder's own entry in media/ must be durable too.
  const created = await disk.mkdir(path.dirname(file), { recursive: true });
  if (created !== undefined && sync) await syncDir(disk, path.dirname(path.dirname(file)));
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await disk.open(tmp, 'w');
    try {
      const { bytesWritten } = await handle.write(data, 0, data.byteLength, 0);
      if (bytesWritten !== data.byteLength) {
        throw Object.assign(new Error(`short write: ${bytesWritten} of ${data.byteLength} bytes`), { code: 'ESHORTWRITE' });
      }
      if (sync) await handle.sync();
    } finally {
      await handle.close();
    }
    await disk.rename(tmp, file);
  } catch (e) {
    await disk.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  if (sync) await syncDir(disk, path.dirname(file));
}

export async function fileSize(disk: Disk, file: string): Promise<number | null> {
  try {
    return (await disk.stat(file)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
