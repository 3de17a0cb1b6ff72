// `npm test` runs this first (npm's "pretest"), so `npm install && npm test` works on a clean machine:
// it finds the browser, redis-server, exiftool, docker-compose and nginx, installs the missing ones from
// Debian when it may, and otherwise stops with one line naming the command. Then it finds FerretDB for the
// MongoDB specs, building it once with Go when missing. Nothing to do means no output and no apt calls.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findChromium, findOnPath, isExecutable } from './chromium.cjs';
import { ensureFerretDb, missingFerretDbVerdict } from './ferretdb.mjs';
import { planSetup } from './setup-plan.mjs';

/** Where apt-get, dpkg and ldconfig live; dpkg needs the sbin ones even when the caller's PATH lacks them. */
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function readOsRelease() {
  try {
    return readFileSync('/etc/os-release', 'utf8');
  } catch {
    return null;
  }
}

function canSudo() {
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
}

/** Runs argv quietly; on failure prints its output, since apt's reason is the useful part. */
function run(argv) {
  const PATH = [process.env.PATH, SYSTEM_PATH].filter(Boolean).join(':');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', PATH };
  const result = spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status === 0) return true;
  process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `${result.error.message}\n` : ''}`);
  return false;
}

const plan = planSetup({
  env: process.env,
  platform: process.platform,
  exists: isExecutable,
  which: (name) => findOnPath(name),
  isRoot: process.getuid?.() === 0,
  canSudo,
  osRelease: process.platform === 'linux' ? readOsRelease() : null,
});

if (plan.action === 'stop') {
  console.error(plan.line);
  process.exit(1);
}
if (plan.action === 'install') {
  console.log(plan.line);
  if (!run(plan.update) || !run(plan.command)) {
    console.error(`pretest: apt-get failed (output above); run: sudo apt-get install ${plan.packages.join(' ')}`);
    process.exit(1);
  }
}
// apt-get's exit status is trusted: the specs themselves fail loudly if the browser is still not found.
// CI logs lost the versions .ci/run used to print; which browser runs the specs is worth a line there.
if (process.env.CI === 'true') console.log(`pretest: browser ${plan.browser ?? findChromium() ?? 'installed in /usr/bin'}`);

// No mongod can be had here: the MongoDB specs run the real driver against FerretDB, built once per machine.
const ferretDb = await ensureFerretDb({ log: (line) => console.log(`pretest: ${line}`) });
if (!ferretDb.bin) {
  const verdict = missingFerretDbVerdict(ferretDb.reason);
  console.error(verdict.line);
  if (verdict.fail) process.exit(1);
} else if (process.env.CI === 'true') {
  console.log(`pretest: FerretDB ${ferretDb.version} at ${ferretDb.bin}`);
}
