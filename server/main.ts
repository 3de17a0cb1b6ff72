/**
 * The composition root: the only module that reads process.env, picks adapters and starts listening.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { prepareAdminPassword } from './admin/admin-password';
import { createApp } from './app';
import { configOrExit } from './config';
import { describeError } from './errors';
import { Metrics } from './observability/metrics';
import { pinoLogger } from './observability/logger';
import { RedisLink } from './realtime/redis-link';
import { OwnerKeys } from './owners/owner-keys';
import { DataDirError } from './store/embedded/data-dir';
import { SqliteStore } from './store/embedded/sqlite-store';
import { openStore } from './store/open-store';


function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

async function main(): Promise<void> {
  const config = configOrExit(process.env, process.cwd());
  const logger = pinoLogger({ level: config.logLevel });
  const store = await openStore(config);
  const lan = lanAddresses();
  // Replicas must sign and key owners alike: COOKIE_SECRET, else the one the store keeps (made once).
  const cookieSecret = config.cookieSecret ?? (await store.sharedSecret('cookie', () => randomBytes(32).toString('base64url')));
  if (store instanceof SqliteStore) {
    const rekeyed = store.rekeyLegacyOwners((uid) => new OwnerKeys(cookieSecret).keyOf(uid));
    if (rekeyed > 0) logger.info('owner ids upgraded to keyed hashes', { rows: rekeyed });
  }
  // Only a hash is stored; a generated password exists in clear just long enough to be printed below.
  const generatedPassword = await prepareAdminPassword(store, config.adminPassword);
  // Replicas share events, counts and limits through Redis; the server starts even while it is away.
  const redis = config.redisUrl ? new RedisLink(config.redisUrl, logger) : null;
  if (redis && !config.mongodbUri) {
    logger.warn('REDIS_URL is set but the store is embedded: replicas need MONGODB_URI to share photos; this server keeps its own in DATA_DIR');
  }
  if (redis) await redis.ready(REDIS_START_WAIT_MS);
  const app = createApp({ config, cookieSecret, store, logger, lanHost: lan[0] ?? null, redis, metrics: new Metrics() });
  // Signal handlers first: a stop that comes right after the banner still closes the store cleanly.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // Whatever hangs (a store or Redis that never answers), the process ends: a supervisor restarts it.
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.drainNoticeMs + config.drainTimeoutMs + SHUTDOWN_MARGIN_MS).unref();
    try {
      // SIGTERM (an orchestrator's stop) drains: uploads in hand finish, pages move to another replica.
      if (signal === 'SIGTERM') await app.drain();
      await app.close();
      await redis?.close();
    } catch (e) {
      logger.error('shutdown failed', { error: describeError(e) });
    }
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const address = await app.listen(config.port, config.host);
  console.log(`Photobook is running (${store.description})`);
  console.log(`  Wall:   http://localhost:${address.port}/`);
  console.log(`  Upload: http://localhost:${address.port}/upload`);
  console.log(`  Admin:  http://localhost:${address.port}/admin`);
  if (generatedPassword) {
    console.log(`  Admin password (shown only this once; \`npm run admin:password\` sets a new one): ${generatedPassword}`);
  }
  for (const ip of lan) console.log(`  Guests on this network: http://${ip}:${address.port}/upload`);
}

/** After the drain, time for closing the app, Redis and the store before the process gives up on them. */
const SHUTDOWN_MARGIN_MS = 15_000;

/** How long a start waits for Redis before serving anyway (the link keeps trying). */
const REDIS_START_WAIT_MS = 5_000;

/** EX_CONFIG (sysexits.h): the data folder needs fixing, so a supervisor should not just restart us. */
const EXIT_DATA_DIR = 78;

main().catch((e: unknown) => {
  // A refused DATA_DIR is the host's to fix: one line that says how, no stack.
  if (e instanceof DataDirError) {
    console.error(e.message);
    process.exit(EXIT_DATA_DIR);
  }
  console.error(e);
  process.exit(1);
});
