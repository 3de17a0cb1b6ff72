/**
 * Figure 10 (opt-in, --subscribers): 10,000 live subscribers over 2 replicas through Redis, p99 from
 * commit (target <= 300 ms), beside the in-memory adapter (1 server process) at the same count.
 * Servers are real processes of dist/server/main.js (build it first: npm run build:server) on one
 * MongoDB-wire store, the run's shared one (mongoTarget(): MONGODB_URI, a replica set, or here
 * FerretDB), a fresh database per case, with one COOKIE_SECRET and ADMIN_PASSWORD. Subscribers: 4
 * processes of 2,500 sockets (bench/subscribers.ts); with Redis, two per replica. A guest on the
 * first replica uploads a small photo about once a second; "from commit" is each socket's receipt
 * (Date.now()) minus the photo's createdAt, which the server stamps with Date.now() just before it
 * writes the photo to the store, so the latency includes that write. "After the first socket" times
 * each receipt from the photo's first receipt anywhere: the fan-out alone (Redis hop included).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from '../lib/figure';
import { smallPhoto } from '../lib/images';
import { openFileLimit, runLiveCase, type LiveCase, type LiveResult } from '../lib/live-case';
import { atLeast, atMost, info, type Row } from '../lib/rows';
import { max, median, percentile } from '../lib/stats';

const SUBSCRIBERS = 10_000;
const PROCESSES = 4;
const MAIN_JS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/server/main.js');
/** Room above the sockets for the store's connections, Redis, logs and the like. */
const FD_MARGIN = 500;

function rowsOf(label: string, r: LiveResult, p99Target: number | null): Row[] {
  const name = `subscribers ${SUBSCRIBERS}, ${label}`;
  const p99 = percentile(r.latencies, 99);
  return [
    info(`${name}: p50 from commit`, percentile(r.latencies, 50), 'ms'),
    info(`${name}: p95 from commit`, percentile(r.latencies, 95), 'ms'),
    p99Target === null ? info(`${name}: p99 from commit`, p99, 'ms') : atMost(`${name}: p99 from commit`, p99, 'ms', p99Target),
    info(`${name}: max from commit`, max(r.latencies), 'ms'),
    info(`${name}: p99 after the first socket`, percentile(r.afterFirst, 99), 'ms'),
    atLeast(`${name}: photo:added delivered`, r.latencies.length, 'messages', r.expected),
  ];
}

function describe(label: string, r: LiveResult, log: (m: string) => void): void {
  const perReplica = r.byReplica.map((l, i) => `replica ${i + 1} p99 ${Math.round(percentile(l, 99))} ms`).join(', ');
  const ms = (samples: number[]) => `${Math.round(median(samples))} ms`;
  log(`${label}: ${perReplica}; after createdAt (medians): first socket ${ms(r.firstAfterCreated)}, commit ack ${ms(r.ackAfterCreated)}`);
  log(`${label}: load average ${r.load.map((l) => l.toFixed(1)).join(' -> ')} while publishing`);
  const missed = [...r.missing.values()].reduce((a, b) => a + b, 0);
  if (missed) log(`${label}: MISSING ${missed} of ${r.expected} (${r.missing.size} photos short; ${r.dropped} sockets dropped)`);
}

export const subscribersFigure: Figure = {
  name: 'subscribers',
  optIn: '--subscribers',
  onlyStore: 'mongo',
  async run({ quick, log, note }) {
    if (!fs.existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: npm run build:server first`);
    // The in-memory case's one server holds every socket; children inherit this process's limit.
    const limit = openFileLimit();
    if (limit < SUBSCRIBERS + FD_MARGIN) {
      throw new Error(`ulimit -n is ${limit}; one server needs ${SUBSCRIBERS + FD_MARGIN} descriptors: run ulimit -n 65536 (or as high as the hard limit allows) first`);
    }
    const photos = quick ? 8 : 20;
    const base = { subscribers: SUBSCRIBERS, processes: PROCESSES, photos, spacingMs: 1_000, photo: await smallPhoto(), log } satisfies Partial<LiveCase>;
    const redis = await runLiveCase({ ...base, replicas: 2, redis: true });
    describe('Redis', redis, log);
    const memory = await runLiveCase({ ...base, replicas: 1, redis: false });
    describe('in-memory', memory, log);
    note(`subscribers: ${photos} photos x ${SUBSCRIBERS} sockets per case on ${redis.storeLabel}; ulimit -n ${limit}; latency = receipt minus the photo's createdAt.`);
    return [
      ...rowsOf('Redis 2 replicas', redis, 300),
      ...rowsOf('in-memory 1 process', memory, null),
      info(`subscribers ${SUBSCRIBERS}: Redis p99 / in-memory p99`, percentile(redis.latencies, 99) / percentile(memory.latencies, 99), 'x'),
    ];
  },
};
