/**
 * Picks the store from the configuration (MONGODB_URI set: MongoDB; unset: the embedded store in
 * DATA_DIR), for the entry points only: services receive the ports, never an adapter.
 */
import type { Config } from '../config';
import { SqliteStore } from './embedded/sqlite-store';
import type { Store } from './types';

export type StoreConfig = Pick<Config, 'dataDir' | 'mongodbUri' | 'mongodbDatabase' | 'storageReserveBytes' | 'syncWrites'>;

export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.mongodbUri) {
    // Loaded only here: a laptop on the embedded store never holds the driver (server-bundle.mjs).
    const { MongoStore } = await import('./mongo/mongo-store');
    return MongoStore.open(config.mongodbUri, { reserveBytes: config.storageReserveBytes, database: config.mongodbDatabase });
  }
  return SqliteStore.open(config.dataDir, { reserveBytes: config.storageReserveBytes, syncWrites: config.syncWrites });
}
