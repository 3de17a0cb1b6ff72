/**
 * The scale-out deployment a host's IT person runs (docker-compose.yml, deploy/nginx, mongo-init,
 * Dockerfile, .github/workflows/ci.yml), checked with the real tools: docker-compose validates and
 * resolves the compose file, nginx tests and then serves its config, bash and node parse the scripts,
 * action-validator checks the workflow against GitHub's schema. No docker engine or mongod runs here;
 * docs/scale-out.md says what only a real deployment shows.
 * docker-compose or nginx missing: the spec fails under CI=true, and is skipped with one line otherwise.
 */
import path from 'node:path';
import {
  ROOT, argv, compose, composeVariables, dependsOn, environment, envExample, envFile, FILLED, mounts, needTool, networkNames,
  parseCompose, readRepoFile, removeTempDirs, requiredVariables, tempDir, type ComposeConfig, type Service,
} from './deploy-tools';
import { freePort, NGINX_CONF, nginxTest, request, startNginx, startReplica, testCopy, upgrade, type Replica, type RunningNginx } from './nginx-harness';

const TOOL_TIMEOUT_MS = 60_000;
const composeText = readRepoFile('docker-compose.yml');

let resolved: Promise<ComposeConfig> | undefined;
/** `docker-compose config` with .env.example filled in, parsed; run once. */
function composeConfig(): Promise<ComposeConfig> {
  const bin = needTool('docker-compose', 'docker-compose.yml');
  return (resolved ??= compose(bin, envFile(tempDir('compose'), 'filled.env'), ['config']).then((r) => {
    if (r.code !== 0) throw new Error(`docker-compose config failed: ${r.stderr}`);
    return parseCompose(r.stdout);
  }));
}

const members = (c: ComposeConfig) => Object.entries(c.services).filter(([, s]) => argv(s.command)[0] === 'mongod');
const launches = (s: Service, script: string) => [...argv(s.entrypoint), ...argv(s.command)].some((a) => a.includes(script));
const byScript = (c: ComposeConfig, script: string) => Object.entries(c.services).filter(([, s]) => launches(s, script));
const apps = (c: ComposeConfig) => Object.entries(c.services).filter(([, s]) => s.build !== undefined && !s.profiles?.length);
const argAfter = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('the scale-out deployment', () => {
  afterAll(removeTempDirs);

  describe('docker-compose.yml', () => {
    it('passes `docker-compose config -q` with every required value of .env.example filled in', async () => {
      const bin = needTool('docker-compose', 'docker-compose.yml');
      const result = await compose(bin, envFile(tempDir('compose'), 'filled.env'), ['config', '-q']);
      expect(result.code).withContext(result.stderr).toBe(0);
    }, TOOL_TIMEOUT_MS);

    it('refuses to start, naming the variable, when any required secret is left empty (no default passwords)', async () => {
      const bin = needTool('docker-compose', 'docker-compose.yml');
      const required = requiredVariables(composeText);
      expect(required).toEqual(jasmine.arrayContaining(['ADMIN_PASSWORD', 'MONGO_APP_PASSWORD', 'MONGO_ROOT_PASSWORD', 'PUBLIC_URL', 'REDIS_PASSWORD']));
      const dir = tempDir('compose-missing');
      const results = await Promise.all(
        required.map((name) => compose(bin, envFile(dir, `without-${name}.env`, (vars) => vars.set(name, '')), ['config', '-q'])),
      );
      results.forEach((result, i) => {
        expect(result.code).withContext(required[i]!).not.toBe(0);
        expect(result.stderr).withContext(required[i]!).toContain(required[i]!);
      });
    }, TOOL_TIMEOUT_MS);

    it('runs three data-bearing mongod members with --replSet rs0, --bind_ip_all and --keyFile, and no arbiter', async () => {
      const config = await composeConfig();
      const found = members(config);
      expect(found.map(([name]) => name).sort()).toEqual(['mongo1', 'mongo2', 'mongo3']);
      for (const [name, s] of found) {
        const args = argv(s.command);
        expect(argAfter(args, '--replSet')).withContext(name).toBe('rs0');
        expect(args).withContext(name).toContain('--bind_ip_all');
        expect(argAfter(args, '--keyFile')).withContext(name).toBe('/etc/mongo-keyfile/mongo.key');
        expect(s.image).withContext(name).toMatch(/^mongo:\d/);
      }
      expect(composeText + readRepoFile('mongo-init/init-replica-set.js')).not.toMatch(/arbiterOnly|addArb|--arbiter/);
    }, TOOL_TIMEOUT_MS);

    it('makes the key file in a one-shot service that every member waits for, and mounts it read-only', async () => {
      const config = await composeConfig();
      const [keyfile] = byScript(config, 'make-keyfile.sh');
      expect(keyfile).withContext('a service running mongo-init/make-keyfile.sh').toBeDefined();
      const [keyName, keyService] = keyfile!;
      expect(keyService.restart).toBe('no');
      const volume = mounts(keyService).find((m) => m.target === '/keyfile');
      expect(volume?.type).toBe('volume');
      for (const [name, s] of members(config)) {
        expect(dependsOn(s)[keyName]).withContext(name).toBe('service_completed_successfully');
        const mount = mounts(s).find((m) => m.target === '/etc/mongo-keyfile');
        expect(mount?.source).withContext(name).toBe(volume!.source);
        expect(mount?.readOnly).withContext(name).toBeTrue();
      }
      const script = readRepoFile('mongo-init/make-keyfile.sh');
      for (const step of ['openssl rand -base64 756', 'chmod 400', 'chown 999:999']) expect(script).toContain(step);
    }, TOOL_TIMEOUT_MS);

    it('initiates the set from a one-shot service after all three members are healthy, never from docker-entrypoint-initdb.d', async () => {
      const config = await composeConfig();
      const [init] = byScript(config, 'init-replica-set.sh');
      expect(init).withContext('a service running mongo-init/init-replica-set.sh').toBeDefined();
      const [, service] = init!;
      expect(argv(service.command)[0]).not.toBe('mongod');
      expect(service.restart).toBe('no');
      expect(dependsOn(service)).toEqual({ mongo1: 'service_healthy', mongo2: 'service_healthy', mongo3: 'service_healthy' });
      for (const [name, s] of Object.entries(config.services)) {
        for (const m of mounts(s)) expect(m.target).withContext(name).not.toMatch(/^\/docker-entrypoint-initdb\.d/);
      }
      // Only the root user comes from the image's initdb step (on mongo1, the preferred primary).
      const rootUser = ['MONGO_INITDB_ROOT_USERNAME', 'MONGO_INITDB_ROOT_PASSWORD'];
      expect(Object.keys(environment(config.services['mongo1']!))).toEqual(jasmine.arrayContaining(rootUser));
    }, TOOL_TIMEOUT_MS);

    it('gives both app replicas MONGODB_URI with all three members, replicaSet=rs0 and authSource, and REDIS_URL, ADMIN_PASSWORD and PUBLIC_URL from .env', async () => {
      const config = await composeConfig();
      expect(apps(config).map(([name]) => name).sort()).toEqual(['app1', 'app2']);
      for (const [name, s] of apps(config)) {
        const env = environment(s);
        const uri = /^mongodb:\/\/photobook:([^@]+)@([^/]+)\/(\w+)\?(.+)$/.exec(env['MONGODB_URI'] ?? '');
        expect(uri).withContext(`${name} MONGODB_URI`).not.toBeNull();
        const [, password, hosts, database, query] = uri!;
        expect(password).toBe(FILLED['MONGO_APP_PASSWORD']!);
        expect(hosts!.split(',').sort()).toEqual(['mongo1:27017', 'mongo2:27017', 'mongo3:27017']);
        expect(database).toBe('photobook');
        const params = new URLSearchParams(query);
        expect(params.get('replicaSet')).toBe('rs0');
        expect(params.get('authSource')).toBe('admin');
        expect(env['REDIS_URL']).toBe(`redis://:${FILLED['REDIS_PASSWORD']}@redis:6379/0`);
        expect(env['ADMIN_PASSWORD']).toBe(FILLED['ADMIN_PASSWORD']!);
        expect(env['PUBLIC_URL']).toBe(FILLED['PUBLIC_URL']!);
        expect(Object.keys(env)).toContain('COOKIE_SECRET');
        expect(s.image).toBe('photobook-app:latest');
      }
    }, TOOL_TIMEOUT_MS);

    it('starts the apps after mongo-init completed and Redis is healthy, and nginx after both apps are healthy', async () => {
      const config = await composeConfig();
      for (const [name, s] of apps(config)) {
        expect(dependsOn(s)).withContext(name).toEqual({ 'mongo-init': 'service_completed_successfully', redis: 'service_healthy' });
      }
      expect(dependsOn(config.services['nginx']!)).toEqual({ app1: 'service_healthy', app2: 'service_healthy' });
      expect(config.services['redis']?.image).toMatch(/^redis:7/);
      expect(config.services['nginx']?.image).toMatch(/^nginx:/);
    }, TOOL_TIMEOUT_MS);

    it('has a healthcheck on every long-running service, and one-shot services never restart', async () => {
      const config = await composeConfig();
      const oneShots = new Set(
        Object.values(config.services).flatMap((s) => Object.entries(dependsOn(s)).filter(([, c]) => c === 'service_completed_successfully').map(([d]) => d)),
      );
      const longRunning = Object.entries(config.services).filter(([name, s]) => !oneShots.has(name) && !s.profiles?.length);
      expect(longRunning.map(([name]) => name).sort()).toEqual(['app1', 'app2', 'mongo1', 'mongo2', 'mongo3', 'nginx', 'redis']);
      for (const [name, s] of longRunning) {
        expect(argv(s.healthcheck?.test).length).withContext(name).toBeGreaterThan(1);
        expect(s.healthcheck?.disable).withContext(name).not.toBeTrue();
        expect(s.restart).withContext(name).toBe('unless-stopped');
      }
      for (const name of oneShots) expect(config.services[name]?.restart).withContext(name).toBe('no');
      // The app is checked on /healthz (a readiness endpoint comes later).
      expect(argv(config.services['app1']!.healthcheck?.test).join(' ')).toContain('/healthz');
    }, TOOL_TIMEOUT_MS);

    it('keeps each member’s data and configuration in its own named volume', async () => {
      const config = await composeConfig();
      const declared = Object.keys(config.volumes ?? {});
      const sources = new Set<string>();
      for (const [name, s] of members(config)) {
        for (const target of ['/data/db', '/data/configdb']) {
          const m = mounts(s).find((x) => x.target === target);
          expect(m?.type).withContext(`${name} ${target}`).toBe('volume');
          expect(declared).withContext(`${name} ${target}`).toContain(m!.source);
          sources.add(m!.source);
        }
      }
      expect(sources.size).toBe(6);
    }, TOOL_TIMEOUT_MS);

    it('publishes only nginx, and keeps MongoDB and Redis on an internal network', async () => {
      const config = await composeConfig();
      const published = Object.entries(config.services).filter(([, s]) => (s.ports ?? []).length > 0).map(([name]) => name);
      expect(published).toEqual(['nginx']);
      expect(config.networks?.['backend']?.internal).toBeTrue();
      for (const name of ['mongo1', 'mongo2', 'mongo3', 'redis']) expect(networkNames(config.services[name]!)).withContext(name).toEqual(['backend']);
      const nginxMount = mounts(config.services['nginx']!).find((m) => m.target === '/etc/nginx/nginx.conf');
      expect(nginxMount?.source).toBe(path.join(ROOT, 'deploy/nginx/nginx.conf'));
    }, TOOL_TIMEOUT_MS);

    it('uses an nginx image new enough for `resolve` on upstream servers (1.27.3 and later)', async () => {
      const tag = /^nginx:(\d+)\.(\d+)/.exec((await composeConfig()).services['nginx']?.image ?? '');
      expect(tag).withContext('nginx image pinned to a version').not.toBeNull();
      expect(Number(tag![1]) * 1000 + Number(tag![2])).toBeGreaterThanOrEqual(1028);
    }, TOOL_TIMEOUT_MS);
  });

  describe('.env.example', () => {
    it('lists every variable docker-compose.yml reads', () => {
      const listed = envExample().map(([name]) => name);
      expect(composeVariables(composeText).filter((v) => !listed.includes(v))).toEqual([]);
    });

    it('ships no password or secret, and docker-compose.yml defaults none', () => {
      for (const [name, value] of envExample()) if (/PASSWORD|SECRET/.test(name)) expect(value).withContext(name).toBe('');
      const defaulted = [...composeText.matchAll(/\$\{([A-Z0-9_]*(?:PASSWORD|SECRET)[A-Z0-9_]*):?-([^}]*)\}/g)];
      for (const [, name, fallback] of defaulted) expect(fallback).withContext(name!).toBe('');
    });
  });

  describe('deploy/nginx/nginx.conf', () => {
    let replicas: Replica[] = [];
    let nginx: RunningNginx | null = null;
    let dir = '';
    let conf = '';
    let port = 0;

    /** The test copy, pointed at two stand-in replicas on this machine (see nginx-harness.ts). */
    async function prepare(): Promise<string> {
      const bin = needTool('nginx', 'nginx');
      if (!conf) {
        replicas = [await startReplica('app1'), await startReplica('app2')];
        dir = tempDir('nginx');
        port = await freePort();
        conf = testCopy(dir, port, Object.fromEntries(replicas.map((r) => [r.name, r.port])));
      }
      return bin;
    }

    async function running(): Promise<RunningNginx> {
      const bin = await prepare();
      return (nginx ??= await startNginx(bin, dir, conf, port));
    }

    afterAll(async () => {
      await nginx?.stop();
      await Promise.all(replicas.map((r) => r.close()));
    });

    it('passes `nginx -t`', async () => {
      const bin = await prepare();
      const result = await nginxTest(bin, dir, conf);
      expect(result.stderr).toContain('test is successful');
      expect(result.code).toBe(0);
    }, TOOL_TIMEOUT_MS);

    it('passes the WebSocket upgrade of /socket.io/ on over HTTP/1.1, with no location dropping the headers', () => {
      const text = readRepoFile(NGINX_CONF).replace(/#[^\n]*/g, '');
      expect(text).toMatch(/map \$http_upgrade \$connection_upgrade \{\s*default\s+upgrade;\s*''\s+'';\s*\}/);
      const server = text.slice(text.indexOf('server {'));
      const firstLocation = server.search(/\blocation\b/);
      const serverLevel = server.slice(0, firstLocation);
      for (const line of ['proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection $connection_upgrade;']) {
        expect(serverLevel).toContain(line);
      }
      // nginx drops every inherited proxy_set_header in a location that sets one of its own.
      expect(server.slice(firstLocation)).not.toContain('proxy_set_header');
      expect(server).toMatch(/location \/socket\.io\/ \{[^}]*proxy_pass http:\/\/photobook;[^}]*proxy_read_timeout \d+s;/);
    });

    it('upgrades a WebSocket through to a replica with Host, X-Forwarded-For and X-Forwarded-Proto', async () => {
      const { port } = await running();
      // A guest's own X-Forwarded-For is replaced by the address nginx saw (the replicas trust nginx's).
      const response = await upgrade(port, '/socket.io/?EIO=4&transport=websocket', { Host: 'photos.example:8080', 'X-Forwarded-For': '198.51.100.1' });
      const replica = replicas.find((r) => r.name === response['x-replica'])!;
      const headers = replica.seen.at(-1)!;
      expect(headers['upgrade']).toBe('websocket');
      expect(headers['connection']).toBe('upgrade');
      expect(headers['host']).toBe('photos.example:8080');
      expect(headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(headers['x-forwarded-proto']).toBe('http');
    }, TOOL_TIMEOUT_MS);

    it('keeps /metrics for scrapers on the backend network: from outside it is a 404 that reaches no replica', async () => {
      const { port } = await running();
      const before = replicas.reduce((n, r) => n + r.seen.length, 0);
      expect((await request(port, { path: '/metrics' })).status).toBe(404);
      expect(replicas.reduce((n, r) => n + r.seen.length, 0)).toBe(before);
    }, TOOL_TIMEOUT_MS);

    it('keeps a browser on one replica by its route cookie and spreads new browsers over both', async () => {
      const { port } = await running();
      const first = await request(port, { path: '/' });
      const cookie = /^(photobook_route=[0-9a-f]{32});/.exec(String(first.headers['set-cookie'] ?? ''))?.[1];
      expect(cookie).withContext('the route cookie on a first response').toBeDefined();
      const home = JSON.parse(first.body).replica as string;
      const paths = ['/', '/upload', '/socket.io/?EIO=4&transport=polling', '/media/abc', '/socket.io/?EIO=4&transport=polling&sid=x'];
      for (let i = 0; i < 20; i++) {
        const reply = await request(port, { path: paths[i % paths.length]!, headers: { Cookie: cookie! } });
        expect(JSON.parse(reply.body).replica).toBe(home);
        expect(reply.headers['set-cookie']).withContext('no new cookie once it has one').toBeUndefined();
      }
      const newcomers = await Promise.all(Array.from({ length: 40 }, () => request(port, { path: '/' })));
      expect(new Set(newcomers.map((r) => JSON.parse(r.body).replica))).toEqual(new Set(['app1', 'app2']));
    }, TOOL_TIMEOUT_MS);

    it('takes a 2 MB long-polling POST and refuses a 9 MB body with 413', async () => {
      const { port } = await running();
      const polling = { path: '/socket.io/?EIO=4&transport=polling', method: 'POST' };
      expect((await request(port, { ...polling, body: Buffer.alloc(2 * 1024 * 1024, 0x61) })).status).toBe(200);
      // nginx answers from the Content-Length alone, before any body arrives.
      expect((await request(port, { ...polling, headers: { 'Content-Length': String(9 * 1024 * 1024) } })).status).toBe(413);
    }, TOOL_TIMEOUT_MS);
  });
});
