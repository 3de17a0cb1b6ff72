import fs from 'node:fs/promises';

/**
 * The file-system calls the embedded store makes, as one narrow seam: production passes node's
 * fs/promises; fault specs pass a copy whose calls fail (ENOSPC, EIO) or write short, to prove that
 * no failure acknowledges bytes the disk does not hold.
 */
export type Disk = Pick<
  typeof fs,
  'open' | 'rm' | 'rename' | 'stat' | 'statfs' | 'mkdir' | 'readFile' | 'readdir' | 'truncate'
>;

export const nodeDisk: Disk = fs;

/** Bytes the current user may still write on the file system holding `dir`. */
export async function freeBytes(disk: Disk, dir: string): Promise<number> {
  const stats = await disk.statfs(dir);
  return Number(stats.bavail) * Number(stats.bsize);
}
