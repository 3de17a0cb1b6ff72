import fs from 'node:fs/promises';
import path from 'node:path';

export interface OrphanSweep {
  readonly uploadDir: string;
  readonly mediaDir: string;
  /** Only files last modified before this (epoch ms) are candidates: younger ones may be mid-write. */
  readonly before: number;
  readonly uploadExists: (id: string) => boolean;
  readonly blobReferenced: (key: string) => boolean;
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

async function removeIfOld(file: string, before: number): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (stat.mtimeMs >= before) return false;
    await fs.rm(file, { force: true });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * A crash between steps can leave part files whose upload record is gone (deleteUpload removes the
 * record first), temp files of an interrupted atomic write, or blobs written before a photo record
 * that never came. None of them is reachable; this removes them.
 */
export async function sweepOrphanFiles(sweep: OrphanSweep): Promise<number> {
  let removed = 0;
  for (const file of await listFiles(sweep.uploadDir)) {
    const id = path.basename(file).replace(/\.part$/, '');
    if (!sweep.uploadExists(id) && (await removeIfOld(file, sweep.before))) removed++;
  }
  for (const file of await listFiles(sweep.mediaDir)) {
    const name = path.basename(file);
    const orphan = name.endsWith('.tmp') || !sweep.blobReferenced(name);
    if (orphan && (await removeIfOld(file, sweep.before))) removed++;
  }
  return removed;
}
