/** Child processes of the bench: the server (bench/server-child.ts) and wall clients (bench/clients.ts). */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS, machineAllocator } from '../../scripts/allocator.mjs';
import { builtServerChild } from './server-build';

const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export interface Message {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** Forks a TypeScript file of bench/ with tsx, an IPC channel, and the bench's stdout and stderr. */
export function forkBench(file: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return fork(path.join(BENCH_DIR, file), args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
  });
}

/** The child's next message of `type`; fails if the child exits first or takes longer than `timeoutMs`. */
export function nextMessage<M extends Message>(child: ChildProcess, type: string, timeoutMs = 120_000): Promise<M> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no ${type} from child ${child.pid} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: Message) => {
      if (m.type === type) done(null, m as M);
      else if (m.type === 'error') done(new Error(`child ${child.pid}: ${String(m['message'])}`));
    };
    const onExit = (code: number | null) => done(new Error(`child ${child.pid} exited (${code}) before ${type}`));
    const done = (error: Error | null, message?: M) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

export async function ask<M extends Message>(child: ChildProcess, command: Message, reply: string, timeoutMs?: number): Promise<M> {
  const answer = nextMessage<M>(child, reply, timeoutMs);
  child.send(command);
  return answer;
}

/**
 * Forks a measuring child (a figure's clients in a process of their own), waits for its answer of
 * `type`, then for it to exit by itself: one still running 5 s after is killed, and the log says so,
 * as it says an exit with a failure code.
 */
export async function measureInChild<M extends Message>(
  file: string,
  args: readonly string[],
  type: string,
  timeoutMs: number,
  log: (message: string) => void,
): Promise<M> {
  const child = forkBench(file, args);
  // A child that could not start emits 'error' and may never emit 'exit'.
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', resolve);
    child.once('error', (e) => {
      log(`${file} could not run: ${e.message}`);
      resolve(null);
    });
  });
  try {
    return await nextMessage<M>(child, type, timeoutMs);
  } finally {
    const timer = setTimeout(() => {
      log(`${file} was still running 5 s after the figure was done with it; killed`);
      child.kill('SIGKILL');
    }, 5_000);
    const code = await exited;
    clearTimeout(timer);
    if (code !== 0 && code !== null) log(`${file} exited with code ${String(code)}`);
  }
}

/** Asks the child to stop and waits for it to exit (killing it if it does not within 15 s). */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  child.send({ type: 'stop' });
  await exited;
  clearTimeout(timer);
}

/**
 * The allocator the server child runs with, as `npm start` picks it (jemalloc where the machine has
 * it, unless PHOTOBOOK_ALLOCATOR=system): memory figures measure what a host would run.
 */
export const serverAllocator = machineAllocator();

/** embedded: SQLite + files; mongo: the MongoDB store on the server spec/fixtures/mongo-server.ts picks. */
export type StoreKind = 'embedded' | 'mongo';

export interface ServerChildOptions {
  /** Set by BenchContext.startServer; STORE in the child's environment, which startTestServer reads. */
  readonly store?: StoreKind;
  /** Start on this (seeded) data directory; it is deleted when the server stops. */
  readonly dataDir?: string;
  /** Photos written through the child's own store before it reports ready (tiny blobs; see lib/seed.ts). */
  readonly seedPhotos?: number;
  /** Report the moment the server broadcasts each photo:added (message type 'broadcast'). */
  readonly traceBroadcast?: boolean;
  /** Serve the web app from here (the built dist/client/browser); by default the server has none. */
  readonly staticDir?: string;
}

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** What the store runs on, e.g. "FerretDB v1.24.2 (SQLite backend), wire version 21". */
  readonly storeLabel: string;
  readonly child: ChildProcess;
  /** Starts the plain node:http POST sink in the same process; returns its URL. */
  postBaseline(): Promise<string>;
  /** Starts express.static over `dir` in the same process; returns its base URL. */
  staticBaseline(dir: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The real server (spec/fixtures/server.ts startTestServer) in its own process, on `options.store`:
 * bench/server-child.ts built as dist/server/main.js is (lib/server-build.ts), run by node as
 * `npm start` runs it (NODE_FLAGS, source maps on, the machine's allocator), so its RSS is a host's.
 */
export async function startServerProcess(options: ServerChildOptions = {}): Promise<ServerProcess> {
  // Always set: a STORE=mongo left in the shell must not put the embedded column on MongoDB.
  const env = { ...process.env, ...serverAllocator.env, STORE: options.store ?? 'embedded' };
  const child = fork(await builtServerChild(), [JSON.stringify(options)], {
    execArgv: [...NODE_FLAGS, '--enable-source-maps'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
  });
  // Seeding thousands of photos into FerretDB takes minutes, not seconds.
  const readyMs = 120_000 + (options.seedPhotos ?? 0) * 100;
  const ready = await nextMessage<{ type: 'ready'; url: string; storeLabel: string }>(child, 'ready', readyMs).catch(async (e: unknown) => {
    child.kill('SIGKILL');
    throw e;
  });
  return {
    url: ready.url,
    pid: child.pid!,
    storeLabel: ready.storeLabel,
    child,
    postBaseline: async () => (await ask<{ type: string; url: string }>(child, { type: 'post-baseline' }, 'post-baseline')).url,
    staticBaseline: async (dir) => (await ask<{ type: string; url: string }>(child, { type: 'static-baseline', dir }, 'static-baseline')).url,
    stop: () => stopChild(child),
  };
}
