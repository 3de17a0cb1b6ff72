/**
 * The scale-out deployment's scripts and build files: mongo-init (parsed by bash and node, and its
 * decisions run against a scripted replica set), the Dockerfile (read instruction by instruction: no
 * docker engine here) and the GitHub workflow (GitHub's schema, through action-validator).
 */
import { validateWorkflow } from '@action-validator/core';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { JEMALLOC_CONF, NODE_FLAGS } from '../../scripts/allocator.mjs';
import { ROOT, environment, readRepoFile, run, type ComposeConfig } from './deploy-tools';
import { runInitScript, type FakeSet, type MongoshRun } from './fake-mongosh';

const MEMBERS = ['mongo1:27017', 'mongo2:27017', 'mongo3:27017'];
const INIT_ENV = {
  MONGO_REPLICA_SET: 'rs0',
  MONGO_MEMBERS: MEMBERS.join(','),
  MONGO_ROOT_USERNAME: 'root',
  MONGO_ROOT_PASSWORD: 'r00t'.repeat(8),
  MONGO_APP_USERNAME: 'photobook',
  MONGO_APP_PASSWORD: 'app0'.repeat(8),
  MONGO_APP_DATABASE: 'photobook',
};
const fresh: FakeSet = { members: Object.fromEntries(MEMBERS.map((m) => [m, { setName: null }])) };
const initiations = (r: MongoshRun) => r.commands.filter((c) => c.name === 'replSetInitiate');
const scripts = (ext: string) => readdirSync(path.join(ROOT, 'mongo-init')).filter((f) => f.endsWith(ext)).map((f) => path.join('mongo-init', f));
/** docker-compose.yml as written (anchors merged, variables not interpolated): enough to compare names. */
const rawCompose = parse(readRepoFile('docker-compose.yml'), { merge: true }) as ComposeConfig;

describe('the scale-out deployment: mongo-init', () => {
  it('has shell scripts that bash parses', async () => {
    expect(scripts('.sh').length).toBeGreaterThanOrEqual(3);
    for (const file of scripts('.sh')) {
      const result = await run('bash', ['-n', file]);
      expect(result.stderr).withContext(file).toBe('');
      expect(result.code).withContext(file).toBe(0);
    }
  });

  it('has mongosh scripts that node parses', async () => {
    expect(scripts('.js')).toEqual(['mongo-init/init-replica-set.js']);
    const result = await run(process.execPath, ['--check', 'mongo-init/init-replica-set.js']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('gets from docker-compose.yml every setting its scripts read', () => {
    const initService = environment(rawCompose.services['mongo-init']!);
    for (const [, name] of readRepoFile('mongo-init/init-replica-set.js').matchAll(/setting\('([A-Z_]+)'\)/g)) expect(Object.keys(initService)).toContain(name!);
    const backupService = environment(rawCompose.services['mongo-backup']!);
    for (const [, name] of readRepoFile('mongo-init/backup.sh').matchAll(/"\$\{([A-Z_]+):\?\}"/g)) expect(Object.keys(backupService)).toContain(name!);
  });

  it('initiates a fresh set once, on mongo1, with three members, mongo1 preferred by priority and no arbiter', () => {
    const result = runInitScript(fresh, INIT_ENV);
    expect(result.exitCode).toBe(0);
    const [initiate, ...more] = initiations(result);
    expect(more).toEqual([]);
    expect(initiate!.uri).toMatch(/^mongodb:\/\/root:[^@]+@mongo1:27017\/admin\?directConnection=true/);
    expect(initiate!.body['replSetInitiate']).toEqual({
      _id: 'rs0',
      members: [
        { _id: 0, host: 'mongo1:27017', priority: 2 },
        { _id: 1, host: 'mongo2:27017', priority: 1 },
        { _id: 2, host: 'mongo3:27017', priority: 1 },
      ],
    });
  });

  it('creates the app user with readWrite on the app database only, acknowledged by a majority', () => {
    const result = runInitScript(fresh, INIT_ENV);
    expect(result.users).toEqual([
      {
        op: 'create',
        user: 'photobook',
        pwd: INIT_ENV.MONGO_APP_PASSWORD,
        roles: [{ role: 'readWrite', db: 'photobook' }],
        writeConcern: jasmine.objectContaining({ w: 'majority' }),
      },
    ]);
    expect(result.printed.join('\n')).not.toContain(INIT_ENV.MONGO_APP_PASSWORD);
    expect(result.printed.join('\n')).not.toContain(INIT_ENV.MONGO_ROOT_PASSWORD);
  });

  it('runs again without initiating when any member already belongs to the set, and resets the app user’s password from .env', () => {
    const again: FakeSet = { members: { ...fresh.members, 'mongo2:27017': { setName: 'rs0' } }, userExists: true };
    const result = runInitScript(again, INIT_ENV);
    expect(result.exitCode).toBe(0);
    expect(initiations(result)).toEqual([]);
    expect(result.users.map((u) => [u.op, u.pwd])).toEqual([['update', INIT_ENV.MONGO_APP_PASSWORD]]);
  });

  it('takes AlreadyInitialized from a racing run as success once rs.status() answers ok', () => {
    const result = runInitScript({ ...fresh, initiateAnswer: { ok: 0, code: 23, errmsg: 'already initialized' } }, INIT_ENV);
    expect(result.exitCode).toBe(0);
    expect(result.commands.some((c) => c.name === 'replSetGetStatus')).toBeTrue();
    expect(result.users.length).toBe(1);
  });

  it('refuses to initiate while a member does not answer, or when a member belongs to another set', () => {
    const down = runInitScript({ members: { ...fresh.members, 'mongo3:27017': { down: true } } }, INIT_ENV);
    expect(down.exitCode).toBe(1);
    expect(initiations(down)).toEqual([]);
    const other = runInitScript({ members: { ...fresh.members, 'mongo2:27017': { setName: 'other' } } }, INIT_ENV);
    expect(other.exitCode).toBe(1);
    expect(initiations(other)).toEqual([]);
    expect(other.users).toEqual([]);
  });

  it('refuses an app user that is the root user before it changes anything', () => {
    const result = runInitScript(fresh, { ...INIT_ENV, MONGO_APP_USERNAME: 'root' });
    expect(result.exitCode).toBe(1);
    expect(result.commands).toEqual([]);
    expect(result.users).toEqual([]);
  });
});

// ---- Dockerfile ------------------------------------------------------------------------------------

interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly steps: ReadonlyArray<{ op: string; args: string }>;
}

/** Instructions per stage: continuation lines joined, comments dropped, global ARG defaults put into FROM. */
function stages(text: string): Stage[] {
  const logical = text.replace(/\\\n(\s*#[^\n]*\n)*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const args = new Map<string, string>();
  const result: Array<{ from: string; name: string | undefined; steps: Array<{ op: string; args: string }> }> = [];
  for (const line of logical) {
    const [, op = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM') {
      const [, image = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      result.push({ from: image.replace(/\$\{(\w+)\}/g, (_m, a: string) => args.get(a) ?? ''), name, steps: [] });
    } else if (result.length === 0 && op.toUpperCase() === 'ARG') {
      const [name = '', value = ''] = rest.split('=');
      args.set(name, value);
    } else {
      result.at(-1)?.steps.push({ op: op.toUpperCase(), args: rest });
    }
  }
  return result;
}

describe('the scale-out deployment: Dockerfile', () => {
  const all = stages(readRepoFile('Dockerfile'));
  const final = all.at(-1)!;
  const runs = (s: Stage) => s.steps.filter((x) => x.op === 'RUN').map((x) => x.args).join('\n');
  const values = (s: Stage, op: string) => s.steps.filter((x) => x.op === op).map((x) => x.args);

  it('builds in named stages and runs the last one, on node:20 slim, as a user other than root', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const stage of all) expect(stage.name).withContext(stage.from).toBeDefined();
    expect(final.from).toBe('node:20-bookworm-slim');
    const user = values(final, 'USER').at(-1);
    expect(user).withContext('USER in the last stage').toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user!);
  });

  it('installs with npm ci and builds where compilers are, then ships production dependencies only', () => {
    const build = all.find((s) => /\bnpm ci\b/.test(runs(s)) && /npm run build/.test(runs(s)));
    expect(build).withContext('a stage with npm ci and npm run build').toBeDefined();
    // better-sqlite3 compiles when no prebuilt binary fits: the full node image has python3, make, g++.
    expect(build!.from.includes('slim') && !/python3.*make.*g\+\+|build-essential/s.test(runs(build!))).toBeFalse();
    const pruned = all.find((s) => /npm prune --omit=dev/.test(runs(s)));
    expect(pruned).withContext('a stage with npm prune --omit=dev').toBeDefined();
    const copies = values(final, 'COPY');
    expect(copies).toContain(`--from=${pruned!.name} /app/node_modules ./node_modules`);
    expect(copies.some((c) => c.startsWith(`--from=${build!.name} /app/dist`))).toBeTrue();
  });

  it('preloads jemalloc for sharp, installs perl for ExifTool, and checks /healthz with node', () => {
    const install = runs(final);
    expect(install).toMatch(/apt-get install[^\n]*\blibjemalloc2\b/);
    expect(install).toMatch(/apt-get install[^\n]*\bperl\b/);
    expect(values(final, 'ENV').join(' ')).toMatch(/LD_PRELOAD=\S*libjemalloc\.so\.2/);
    // The same settings npm start runs with (scripts/allocator.mjs), not a copy that drifts from them.
    expect(values(final, 'ENV').join(' ')).toContain(`MALLOC_CONF=${JEMALLOC_CONF}`);
    const check = values(final, 'HEALTHCHECK').join(' ');
    expect(check).toContain('/healthz');
    expect(check).toContain('"node"');
  });

  it('runs dist/server/main.js in production mode on 0.0.0.0:3000', () => {
    const env = values(final, 'ENV').join(' ');
    for (const setting of ['NODE_ENV=production', 'HOST=0.0.0.0', 'PORT=3000']) expect(env).toContain(setting);
    expect(values(final, 'EXPOSE')).toEqual(['3000']);
    const command = ['node', ...NODE_FLAGS, '--enable-source-maps', 'dist/server/main.js'];
    expect(values(final, 'CMD').join(' ')).toBe(`[${command.map((word) => `"${word}"`).join(', ')}]`);
  });

  it('uses no BuildKit-only syntax, so docker-compose 1.29 (classic builder) builds it too', () => {
    expect(readRepoFile('Dockerfile')).not.toMatch(/--mount=|^#\s*syntax=|<<\s*EOF/m);
  });

  it('keeps .env, node_modules and .git out of the build context', () => {
    const ignored = readRepoFile('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['.env', 'node_modules/', '.git/', 'dist/']) expect(ignored).toContain(entry);
  });
});

// ---- .github/workflows/ci.yml ------------------------------------------------------------------------

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  env?: Record<string, unknown>;
  services?: Record<string, { image: string }>;
  steps: Step[];
}

describe('the scale-out deployment: CI workflow', () => {
  const text = readRepoFile('.github/workflows/ci.yml');
  const workflow = parse(text) as { on: Record<string, unknown>; env?: Record<string, unknown>; jobs: Record<string, Job> };
  const jobs = Object.values(workflow.jobs);
  const steps = jobs.flatMap((j) => j.steps);
  const envs = [workflow.env ?? {}, ...jobs.map((j) => j.env ?? {}), ...steps.map((s) => s.env ?? {})];
  const stepIndex = (pattern: RegExp) => steps.findIndex((s) => pattern.test(s.run ?? ''));

  it('is a valid GitHub Actions workflow by GitHub’s schema (action-validator)', () => {
    expect(validateWorkflow(text).errors).toEqual([]);
    // The validator itself catches a broken one.
    expect(validateWorkflow(text.replace('runs-on:', 'runs_on:')).errors.length).toBeGreaterThan(0);
  });

  it('runs npm ci and then npm test on push and pull_request, on ubuntu-latest with Node 20.19 or later', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    for (const job of jobs) expect(job['runs-on']).toBe('ubuntu-latest');
    expect(stepIndex(/^npm ci\b/)).toBeGreaterThanOrEqual(0);
    expect(stepIndex(/^npm test$/)).toBeGreaterThan(stepIndex(/^npm ci\b/));
    const node = String(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version'] ?? '');
    const [, major, minor] = /^[\^~>=]*(\d+)\.(\d+)/.exec(node) ?? [];
    expect(Number(major)).withContext(node).toBe(20);
    expect(Number(minor)).withContext(node).toBeGreaterThanOrEqual(19);
  });

  it('has a Redis service container, Go for FerretDB, and the tools the deployment spec needs', () => {
    const services = jobs.flatMap((j) => Object.values(j.services ?? {}));
    expect(services.some((s) => /^redis:/.test(s.image))).toBeTrue();
    expect(steps.some((s) => s.uses?.startsWith('actions/setup-go@'))).toBeTrue();
    const tools = steps[stepIndex(/apt-get install/)]?.run ?? '';
    expect(tools).toMatch(/\bdocker-compose\b/);
    expect(tools).toMatch(/\bnginx\b/);
    expect(stepIndex(/apt-get install/)).toBeLessThan(stepIndex(/^npm test$/));
  });

  it('lets the MongoDB suites run on a real replica set: a mongod fetched before npm test, nothing skipped', () => {
    const mongod = stepIndex(/MongoBinary/);
    expect(mongod).withContext('a step that fetches mongod').toBeGreaterThanOrEqual(0);
    expect(mongod).toBeLessThan(stepIndex(/^npm test$/));
    expect(steps[mongod]!.run).toContain('MONGOMS_SYSTEM_BINARY=');
    for (const env of envs) {
      // MONGODB_URI would replace the replica set the fixture starts; none of these may turn suites off.
      expect(Object.keys(env).filter((k) => /SKIP|DISABLE|^MONGODB_URI$/.test(k))).toEqual([]);
      expect(String(env['MONGOMS_RUNTIME_DOWNLOAD'] ?? 'true')).not.toBe('false');
    }
    expect(String(jobs[0]!.env?.['CI'])).toBe('true');
  });

  it('pins every action to a major version', () => {
    for (const step of steps.filter((s) => s.uses)) expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@(v\d+|[0-9a-f]{40})$/);
  });
});
