import fs from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';

export interface BackupReport {
  readonly photos: number;
  readonly mediaFiles: number;
}

/**
 * Copies a data directory that may be in use into `target`, consistently: SQLite's online backup
 * first, then the images. Images are content-addressed and never rewritten, so every file the copied
 * database refers to already exists when it is copied. Partial uploads are left out (a phone resumes
 * or restarts them); temp files of unfinished writes too. `target` must not exist or be empty, and
 * is itself a data directory the server can start on.
 */
export async function backupDataDir(dataDir: string, target: string): Promise<BackupReport> {
  const source = path.join(dataDir, 'photobook.sqlite');
  await fs.access(source);
  await fs.mkdir(target, { recursive: true });
  if ((await fs.readdir(target)).length > 0) throw new Error(`${target} is not empty; back up into a new folder.`);
  const db = new Database(source, { readonly: true, fileMustExist: true });
  let photos: number;
  try {
    await db.backup(path.join(target, 'photobook.sqlite'));
    photos = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM photos').get()?.n ?? 0;
  } finally {
    db.close();
  }
  // Partial uploads' bytes stay behind, so their records go too: a phone simply begins again.
  const copy = new Database(path.join(target, 'photobook.sqlite'), { fileMustExist: true });
  let known: Set<string>;
  try {
    copy.prepare('DELETE FROM uploads').run();
    // Only images the copied database knows of: one written after the snapshot would be a stranger.
    const keys = copy.prepare<[], { key: string }>('SELECT key FROM variants UNION SELECT key FROM pending_writes').all();
    known = new Set(keys.map((k) => k.key));
  } finally {
    copy.close();
  }
  let mediaFiles = 0;
  const media = path.join(dataDir, 'media');
  const entries = await fs.readdir(media, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || !known.has(entry.name)) continue;
    const from = path.join(entry.parentPath, entry.name);
    const to = path.join(target, 'media', path.relative(media, from));
    await fs.mkdir(path.dirname(to), { recursive: true });
    try {
      await fs.copyFile(from, to);
      mediaFiles++;
    } catch (e) {
      // The sweep may finish an unfinished write meanwhile; such a file is not needed.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  await fs.copyFile(path.join(dataDir, 'cookie-secret'), path.join(target, 'cookie-secret')).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
  return { photos, mediaFiles };
}
