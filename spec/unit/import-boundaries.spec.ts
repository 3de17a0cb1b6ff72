/**
 * Each outside library is imported in one folder (STYLE 6), and nothing SQLite-shaped leaks out of
 * the embedded store: the port and the services must hold for MongoDB as they do for SQLite.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const ROOTS = ['server', 'shared', 'client/src', 'scripts', 'bench'];
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

interface Rule {
  readonly what: string;
  readonly pattern: RegExp;
  /** The only folder (or file) where it may appear. */
  readonly home: string;
}

const importOf = (name: string) => new RegExp(`(from\\s+|import\\s*\\(\\s*|require\\s*\\(\\s*)['"]${name}(/[^'"]*)?['"]`);

const RULES: readonly Rule[] = [
  { what: 'the mongodb driver', pattern: importOf('mongodb'), home: 'server/store/mongo/' },
  { what: 'better-sqlite3', pattern: importOf('better-sqlite3'), home: 'server/store/embedded/' },
  { what: 'an SQLite error code', pattern: /SQLITE_[A-Z]+/, home: 'server/store/embedded/' },
  { what: 'prom-client', pattern: importOf('prom-client'), home: 'server/observability/' },
  { what: 'pino', pattern: importOf('pino'), home: 'server/observability/' },
  { what: 'ioredis', pattern: importOf('ioredis'), home: 'server/realtime/' },
  { what: 'the Redis adapter', pattern: importOf('@socket.io/redis-adapter'), home: 'server/realtime/' },
  { what: 'rate-limiter-flexible', pattern: importOf('rate-limiter-flexible'), home: 'server/limits/' },
  { what: 'proxy-addr', pattern: importOf('proxy-addr'), home: 'server/http/' },
  { what: 'compression', pattern: importOf('compression'), home: 'server/http/' },
  { what: 'express-static-gzip', pattern: importOf('express-static-gzip'), home: 'server/http/' },
  { what: 'workbox-build', pattern: importOf('workbox-build'), home: 'scripts/' },
  { what: 'zopfli', pattern: importOf('@gfx/zopfli'), home: 'scripts/precompress.mjs' },
  { what: 'idb', pattern: importOf('idb'), home: 'client/src/app/upload/' },
];

async function sources(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && SOURCE.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => path.relative(process.cwd(), path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/** Files outside the rule's home that break it. */
async function offenders(rule: Rule, files: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    if (file.startsWith(rule.home)) continue;
    if (rule.pattern.test(await fs.readFile(file, 'utf8'))) found.push(file);
  }
  return found;
}

describe('import boundaries', () => {
  let files: string[];
  beforeAll(async () => {
    files = (await Promise.all(ROOTS.map(sources))).flat();
  });

  it('reads the source tree (a check of nothing would pass)', () => {
    expect(files).toContain('server/store/mongo/mongo-store.ts');
    expect(files).toContain('server/store/embedded/sqlite-store.ts');
    expect(files.length).toBeGreaterThan(100);
  });

  it('recognises an import in every form it can take', () => {
    const mongo = RULES[0]!.pattern;
    for (const line of [`import { MongoClient } from 'mongodb';`, `import type { Db } from "mongodb"`, `await import('mongodb')`, `require('mongodb/lib/x')`]) {
      expect(mongo.test(line)).withContext(line).toBeTrue();
    }
    expect(mongo.test(`import { x } from './mongodb-notes';`)).toBeFalse();
  });

  for (const rule of RULES) {
    it(`finds ${rule.what} only in ${rule.home}`, async () => {
      expect(await offenders(rule, files)).toEqual([]);
    });
  }
});
