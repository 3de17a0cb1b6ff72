// Helpers for spec/deploy: the real tools (docker-compose, nginx, bash, node) run on the real files.
// A missing tool fails the spec under CI=true and otherwise skips it, with one SKIPPED line per tool.
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const COMPOSE_FILE = path.join(ROOT, 'docker-compose.yml');
const CI = process.env['CI'] === 'true';

export const readRepoFile = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

// ---- tools -----------------------------------------------------------------------------------------

/** Debian's package for each tool, for the SKIPPED line. */
const PACKAGES: Record<string, string> = { 'docker-compose': 'docker-compose', nginx: 'nginx', bash: 'bash' };
const said = new Set<string>();

/** On PATH, or in the sbin folders a non-root PATH often lacks (Debian puts nginx there). */
export function findTool(name: string): string | null {
  const dirs = [...(process.env['PATH'] ?? '').split(path.delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** The tool's path. Missing: throws under CI=true, else marks the spec pending (one SKIPPED line per tool). */
export function needTool(name: string, forWhat: string): string {
  const found = findTool(name);
  if (found) return found;
  const why = `${name} is not installed (sudo apt-get install ${PACKAGES[name] ?? name})`;
  if (CI) throw new Error(`${why}: under CI=true the ${forWhat} checks must run, not skip (npm test's pretest installs it on Debian)`);
  if (!said.has(name)) console.log(`\nSKIPPED: deployment spec, ${forWhat} checks: ${why}`);
  said.add(name);
  pending(why);
  throw new Error('unreachable: pending() throws');
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(file: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

// ---- temp dirs ---------------------------------------------------------------------------------------

const temps: string[] = [];
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `photobook-${prefix}-`));
  temps.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

// ---- docker-compose ----------------------------------------------------------------------------------

/** Variables the compose file requires (`${NAME:?message}`): compose refuses to start without them. */
export function requiredVariables(composeText: string): string[] {
  return [...new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]!))].sort();
}

/** Every variable the compose file reads, with or without a default. */
export function composeVariables(composeText: string): string[] {
  return [...new Set([...composeText.matchAll(/(?<!\$)\$\{([A-Z0-9_]+)(?:[:?-][^}]*)?\}/g)].map((m) => m[1]!))].sort();
}

/** .env.example as ordered [name, value] pairs. */
export function envExample(): Array<[string, string]> {
  return readRepoFile('.env.example')
    .split('\n')
    .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!, m[2]!]);
}

/** What a careful IT person fills in: every required value, the passwords as `openssl rand -hex`. */
export const FILLED: Record<string, string> = {
  PUBLIC_URL: 'http://192.168.1.20',
  ADMIN_PASSWORD: 'correct horse battery',
  MONGO_ROOT_PASSWORD: 'a1'.repeat(16),
  MONGO_APP_PASSWORD: 'b2'.repeat(16),
  REDIS_PASSWORD: 'c3'.repeat(16),
};

/** An env file from .env.example with the required values filled in; `change` edits the pairs first. */
export function envFile(dir: string, name: string, change: (vars: Map<string, string>) => void = () => {}): string {
  const vars = new Map(envExample());
  for (const [key, value] of vars) if (value === '' && FILLED[key] !== undefined) vars.set(key, FILLED[key]!);
  change(vars);
  const file = path.join(dir, name);
  writeFileSync(file, [...vars].map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  return file;
}

/**
 * `docker-compose --env-file FILE -f docker-compose.yml ARGS` with a clean environment: the shell's
 * variables would override the env file (REDIS_URL in CI, say) and hide a missing one.
 */
export function compose(bin: string, file: string, args: readonly string[]): Promise<Run> {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? os.tmpdir(), LANG: 'C.UTF-8' };
  return run(bin, ['--env-file', file, '-f', COMPOSE_FILE, ...args], { env });
}

// ---- the parsed `docker-compose config` (1.29 and v2 spell some parts differently) ----------------------

export interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | null> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  volumes?: Array<string | { type?: string; source?: string; target?: string; read_only?: boolean }>;
  networks?: Record<string, unknown> | string[];
  ports?: unknown[];
  profiles?: string[];
  restart?: string;
}
export interface ComposeConfig {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, { internal?: boolean } | null>;
}

export const parseCompose = (text: string): ComposeConfig => parse(text) as ComposeConfig;

export const argv = (value: string[] | string | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.map(String) : value.split(/\s+/).filter(Boolean);

export function environment(s: Service): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((e) => [e.split('=')[0]!, e.slice(e.indexOf('=') + 1)]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v ?? '']));
}

export function dependsOn(s: Service): Record<string, string> {
  const deps = s.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v?.condition ?? 'service_started']));
}

export interface Mount {
  readonly type: 'volume' | 'bind';
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

export function mounts(s: Service): Mount[] {
  return (s.volumes ?? []).map((v) => {
    if (typeof v !== 'string') {
      return { type: v.type === 'bind' ? 'bind' : 'volume', source: v.source ?? '', target: v.target ?? '', readOnly: v.read_only === true };
    }
    const [source = '', target = '', mode = ''] = v.split(':');
    const bind = source.startsWith('/') || source.startsWith('.') || source.startsWith('~');
    return { type: bind ? 'bind' : 'volume', source, target, readOnly: mode.split(',').includes('ro') };
  });
}

export function networkNames(s: Service): string[] {
  const n = s.networks ?? {};
  return Array.isArray(n) ? n : Object.keys(n);
}
