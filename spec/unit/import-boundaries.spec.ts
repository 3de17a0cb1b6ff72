/**
 * Each outside library is imported in one folder (STYLE 6), and nothing SQLite-shaped leaks out of
 * the embedded store: the port and the services must hold for MongoDB as they do for SQLite.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const ROOTS = ['server', 'shared', 'client/src', 'scripts', 'bench', 'extension'];
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

interface Rule {
  readonly what: string;
  readonly pattern: RegExp;
  /** The only folder (or file) where it may appear. */
  readonly home: string;
  /** Where the rule holds, when not everywhere (e.g. the code that ships to browsers, not the bench). */
  readonly within?: readonly string[];
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
  { what: "the CDK's virtual scroll", pattern: importOf('@angular/cdk/scrolling'), home: 'client/src/app/gallery/' },
  { what: 'pdfkit', pattern: importOf('pdfkit'), home: 'server/print/' },
  { what: 'fontkit', pattern: importOf('fontkit'), home: 'server/print/' },
  { what: 'qrcode', pattern: importOf('qrcode'), home: 'server/print/' },
  // The app and the browser extension open their sockets in one folder; the bench drives its own.
  { what: 'socket.io-client', pattern: importOf('socket.io-client'), home: 'client/src/app/core/', within: ['client/src/', 'extension/'] },
  { what: 'web-ext', pattern: importOf('web-ext'), home: 'scripts/build-extension.mjs' },
];

/** The upload protocol's core and the extension run without a framework: no Angular, no rxjs. */
const FRAMEWORK_FREE = ['client/src/app/upload/core/', 'extension/'];
const FRAMEWORK = new RegExp(`${importOf('@angular/[a-z-]+').source}|${importOf('rxjs').source}`);

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
    if (rule.within && !rule.within.some((scope) => file.startsWith(scope))) continue;
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

  it('keeps Angular and rxjs out of the shared upload core and the browser extension', async () => {
    const core = files.filter((file) => FRAMEWORK_FREE.some((folder) => file.startsWith(folder)));
    expect(core).toContain('client/src/app/upload/core/upload-runner.ts');
    expect(core).toContain('extension/src/background.ts');
    expect(FRAMEWORK.test(`import { inject } from '@angular/core';`)).toBeTrue();
    const found: string[] = [];
    for (const file of core) if (FRAMEWORK.test(await fs.readFile(file, 'utf8'))) found.push(file);
    expect(found).toEqual([]);
  });

  for (const rule of RULES) {
    it(`finds ${rule.what} only in ${rule.home}`, async () => {
      expect(await offenders(rule, files)).toEqual([]);
    });
  }
});
