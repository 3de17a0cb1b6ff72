import type Database from 'better-sqlite3';

/** More distinct statements than the store ever has (IN lists of photo ids vary in length). */
const MAX_CACHED = 512;

/**
 * Makes `db.prepare` reuse a compiled statement for the same SQL. Compiling is a large share of a
 * small query's cost (a media request, a chunk's upload lookup), and the store's statements are few
 * and fixed. Safe because no caller keeps a statement iterating while preparing the same SQL again.
 */
export function cacheStatements(db: Database.Database): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size >= MAX_CACHED) cache.clear();
      statement = prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  }) as typeof db.prepare;
}
