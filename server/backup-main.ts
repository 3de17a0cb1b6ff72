/**
 * `npm run backup -- TARGET`: a consistent copy of DATA_DIR (database, images, cookie secret) into a
 * new folder TARGET, safe while the server runs. Start the server with DATA_DIR=TARGET to restore.
 */
import path from 'node:path';
import { configOrExit } from './config';
import { backupDataDir } from './store/embedded/backup';

async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target) {
    console.error('Usage: npm run backup -- TARGET_FOLDER   (copies DATA_DIR, default ./data, into a new folder)');
    process.exit(2);
  }
  const { dataDir } = configOrExit(process.env, process.cwd());
  const to = path.resolve(process.cwd(), target);
  const report = await backupDataDir(dataDir, to);
  console.log(`Backed up ${report.photos} photos (${report.mediaFiles} image files) from ${dataDir} to ${to}`);
  console.log(`Restore: stop the server and start it with DATA_DIR=${to} (or copy the folder back).`);
}

main().catch((e: unknown) => {
  console.error(`Backup failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
