// The one place that finds FerretDB, the MongoDB-wire server the MongoDB store specs run the real driver
// against (no mongod can be had on our machines). FERRETDB_BIN when set; else a binary cached outside the
// repo (a fresh clone reuses it); else built once with Go from the module source. `go install` alone
// gives a binary that panics at start: the module ships no build/version/version.txt, so we write one.
// Run directly (`node scripts/ferretdb.mjs`) it finds or builds the binary and prints its path.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findOnPath, isExecutable } from './chromium.cjs';

export const FERRETDB_VERSION = 'v1.24.2';
const MODULE = 'github.com/FerretDB/FerretDB';
/** A build lock older than this is a crashed build, whoever holds it. */
const STALE_LOCK_MS = 20 * 60_000;

/** `${XDG_CACHE_HOME or ~/.cache}/photobook/ferretdb-v1.24.2/ferretdb` */
export function ferretDbCachePath(env = process.env) {
  const cacheHome = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(cacheHome, 'photobook', `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
}

/** The version `bin --version` prints ("version: v1.24.2"), or null when it does not run. */
export function ferretDbVersion(bin) {
  const result = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  if (result.status !== 0) return null;
  return result.stdout.match(/^version:\s*(v\S+)/m)?.[1] ?? null;
}

/** Go on PATH, else where its tarball install puts it (CI images often leave it off PATH). */
export function findGo(env = process.env) {
  const candidates = [env.GOROOT && path.join(env.GOROOT, 'bin', 'go'), '/usr/local/go/bin/go'].filter(Boolean);
  return findOnPath('go', { env }) ?? candidates.find((file) => isExecutable(file)) ?? null;
}

/**
 * A FerretDB that runs, without building: { bin, version, source: 'FERRETDB_BIN' | 'cache' }, or
 * { bin: null, reason }. A FERRETDB_BIN that does not run is an answer too (never silently replaced).
 */
export function findFerretDb({ env = process.env } = {}) {
  if (env.FERRETDB_BIN) {
    const version = isExecutable(env.FERRETDB_BIN) ? ferretDbVersion(env.FERRETDB_BIN) : null;
    if (!version) return { bin: null, reason: `FERRETDB_BIN=${env.FERRETDB_BIN} does not run \`--version\`; fix it or unset it` };
    return { bin: env.FERRETDB_BIN, version, source: 'FERRETDB_BIN' };
  }
  const cached = ferretDbCachePath(env);
  if (isExecutable(cached) && ferretDbVersion(cached) === FERRETDB_VERSION) {
    return { bin: cached, version: FERRETDB_VERSION, source: 'cache' };
  }
  return { bin: null, reason: `no FerretDB ${FERRETDB_VERSION} at ${cached}` };
}

/**
 * findFerretDb, else builds it with Go into the cache (one build at a time across processes).
 * Resolves to { bin, version, source: 'FERRETDB_BIN' | 'cache' | 'built' } or { bin: null, reason }.
 * `log` gets a line before a build and one after it; build output is printed only when it fails.
 */
export async function ensureFerretDb({ log = console.log, env = process.env } = {}) {
  const found = findFerretDb({ env });
  if (found.bin || env.FERRETDB_BIN) return found;
  const go = findGo(env);
  if (!go) {
    return { bin: null, reason: `${found.reason} and no Go to build it (install Go 1.24+, or set FERRETDB_BIN)` };
  }
  const target = ferretDbCachePath(env);
  const lockDir = `${path.dirname(target)}.lock`;
  const held = await acquireLock(lockDir, () => findFerretDb({ env }).bin !== null, log);
  try {
    const now = findFerretDb({ env });
    if (now.bin) return now; // built by the process we waited for
    log(`building FerretDB ${FERRETDB_VERSION} with Go, about 3 minutes the first time…`);
    const started = Date.now();
    const failure = await buildInto(target, go, env);
    if (failure) return { bin: null, reason: `building FerretDB ${FERRETDB_VERSION} with Go failed: ${failure}` };
    log(`built FerretDB ${FERRETDB_VERSION} in ${formatDuration(Date.now() - started)}: ${target}`);
    return { bin: target, version: FERRETDB_VERSION, source: 'built' };
  } finally {
    if (held) fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

/** "1m25s" */
function formatDuration(ms) {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * mkdir is atomic, so the lock is a directory holding the builder's pid. Waits while a live builder holds
 * it; takes over a lock whose builder died or is older than STALE_LOCK_MS. Resolves false without the
 * lock when `done()` says the other builder finished.
 */
async function acquireLock(lockDir, done, log) {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return true;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    const pid = Number(readOrEmpty(path.join(lockDir, 'pid')));
    const age = Date.now() - (statOrNull(lockDir)?.mtimeMs ?? Date.now());
    if ((pid > 0 && !isAlive(pid)) || age > STALE_LOCK_MS) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (done()) return false;
    if (!announced) log(`waiting for process ${pid || '?'}, which is building FerretDB ${FERRETDB_VERSION}…`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

function readOrEmpty(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function statOrNull(file) {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

/** Runs a command, collecting its output; resolves { ok, stdout, output }. */
function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ ok: false, stdout, output: `${output}${error.message}\n` }));
    child.on('close', (code) => resolve({ ok: code === 0, stdout, output }));
  });
}

/** Module-cache files are read-only; the copy must be writable (version.txt) and removable. */
function makeWritable(dir) {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(file);
    else if (entry.isFile()) fs.chmodSync(file, 0o644);
  }
}

/**
 * Builds into a temp dir beside the cache and renames the checked binary into place, so no reader ever
 * sees half a binary. GOFLAGS and the proxy come from the caller's environment. Returns null or why not.
 */
async function buildInto(target, go, env) {
  const parent = path.dirname(path.dirname(target));
  fs.mkdirSync(parent, { recursive: true });
  const work = fs.mkdtempSync(path.join(parent, '.ferretdb-build-'));
  const goEnv = { ...env, GOWORK: 'off' };
  try {
    const download = await run(go, ['mod', 'download', '-json', `${MODULE}@${FERRETDB_VERSION}`], { cwd: work, env: goEnv });
    const moduleDir = download.ok ? safeJson(download.stdout)?.Dir : null;
    if (!moduleDir) return failed('go mod download', download.output);
    const src = path.join(work, 'src');
    fs.cpSync(moduleDir, src, { recursive: true });
    makeWritable(src);
    fs.writeFileSync(path.join(src, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
    const built = path.join(work, 'ferretdb');
    const build = await run(go, ['build', '-trimpath', '-o', built, './cmd/ferretdb'], { cwd: src, env: goEnv });
    if (!build.ok) return failed('go build', build.output);
    const version = ferretDbVersion(built);
    if (version !== FERRETDB_VERSION) return `the built binary reports version ${version ?? '(none)'}`;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(built, target);
    return null;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function failed(step, output) {
  process.stderr.write(output);
  return `${step} failed (output above)`;
}

/** What pretest does without a FerretDB: fail under CI, else warn that the MongoDB suites will be skipped. */
export function missingFerretDbVerdict(reason, env = process.env) {
  if (env.CI === 'true') return { fail: true, line: `pretest: no FerretDB for the MongoDB specs, which CI must run: ${reason}` };
  return { fail: false, line: `pretest: WARNING: the MongoDB suites will be SKIPPED: ${reason}` };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = await ensureFerretDb();
  if (!result.bin) {
    console.error(result.reason);
    process.exit(1);
  }
  console.log(result.bin);
}
