/**
 * `npm run admin:password`: sets a new random admin password in the store (DATA_DIR's, or MongoDB's
 * when MONGODB_URI is set) and prints it. Only
 * its hash is stored; it counts at the next sign-in, even while the server runs (signed-in sessions
 * stay until they expire or the server restarts). With ADMIN_PASSWORD set, the next start replaces it.
 */
import { resetAdminPassword } from './admin/admin-password';
import { configOrExit } from './config';
import { openStore } from './store/open-store';

async function main(): Promise<void> {
  const config = configOrExit(process.env, process.cwd());
  const store = await openStore(config);
  try {
    const password = await resetAdminPassword(store);
    console.log(`New admin password for the ${store.description}: ${password}`);
    if (config.adminPassword) console.log('Note: ADMIN_PASSWORD is set, so the next server start replaces this password with it.');
  } finally {
    await store.close();
  }
}

main().catch((e: unknown) => {
  console.error(`Setting the admin password failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
