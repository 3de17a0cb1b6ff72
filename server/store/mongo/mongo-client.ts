/** How every part of the MongoDB store (the server's store, the migration) connects. */
import { MongoClient, type Db } from 'mongodb';

const DEFAULT_DATABASE = 'photobook';

/**
 * The client: majority, journaled writes; retryable writes and reads; reads from the primary (a
 * wall asks for an image right after it was stored). Server selection waits out an election (about
 * 12 s) so a failover pauses requests instead of failing them.
 */
export function mongoClient(uri: string, appName = 'photobook'): MongoClient {
  return new MongoClient(uri, {
    appName,
    writeConcern: { w: 'majority', journal: true },
    readPreference: 'primary',
    readConcern: { level: 'majority' },
    retryWrites: true,
    retryReads: true,
    serverSelectionTimeoutMS: 30_000,
    // A connection attempt to a server that went away without a reset gives up after 10 s, not 30.
    connectTimeoutMS: 10_000,
    maxPoolSize: 50,
  });
}

/** The database named, else the URI's; the driver says "test" when the URI names none, and ours is photobook then. */
export function storeDatabase(client: MongoClient, database: string | null | undefined): Db {
  return client.db(database ?? (client.options.dbName === 'test' ? DEFAULT_DATABASE : undefined));
}
