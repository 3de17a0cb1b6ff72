/**
 * One side of the subscribers figure: real server processes of dist/server/main.js on one
 * MongoDB-wire store (spec/fixtures/cluster.ts: with Redis, 2 replicas; without, 1 process), live
 * subscribers in child processes (bench/subscribers.ts) spread evenly over the replicas, and photos
 * published one at a time by a guest on the first replica.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { startCluster, type Cluster } from '../../spec/fixtures/cluster';
import { uploadFile } from '../../spec/fixtures/replica-guests';
import { sleep } from './clock';
import { ask, forkBench, nextMessage, stopChild } from './processes';

export interface LiveCase {
  readonly replicas: number;
  readonly redis: boolean;
  readonly subscribers: number;
  /** Subscriber processes; process i talks to replica i % replicas. */
  readonly processes: number;
  /** Recorded photos, after one unrecorded warm-up. */
  readonly photos: number;
  /** From one upload's start to the next one's. */
  readonly spacingMs: number;
  readonly photo: Buffer;
  readonly log: (message: string) => void;
}

export interface LiveResult {
  /** Receipt minus createdAt (ms), one per delivered photo:added. */
  readonly latencies: number[];
  /** The same, per replica the subscribers were on (index = replica). */
  readonly byReplica: number[][];
  /** Receipt minus the photo's first receipt at any socket: the fan-out alone, without the store write. */
  readonly afterFirst: number[];
  /** The first receipt at any socket minus createdAt, per recorded photo: mostly the store write. */
  readonly firstAfterCreated: number[];
  readonly expected: number;
  /** Photo ids with fewer receipts than subscribers, and how many each missed. */
  readonly missing: ReadonlyMap<string, number>;
  /** The publisher's commit ack minus createdAt (ms), per recorded photo. */
  readonly ackAfterCreated: number[];
  /** Sockets that dropped after joining (reported by the subscriber processes). */
  readonly dropped: number;
  readonly storeLabel: string;
  /** The machine's 1-minute load average when publishing began and ended (other work shows here). */
  readonly load: readonly [number, number];
}

/** How long a subscriber process may wait for one photo to reach all its sockets. */
const COLLECT_WAIT_MS = 10_000;

/** The soft RLIMIT_NOFILE of this process, which every child inherits (node cannot raise it). */
export function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === 'unlimited' ? Infinity : Number(soft);
}

/** A share of `total` for part `i` of `parts`, the remainder going to the first parts. */
const share = (total: number, parts: number, i: number) => Math.floor(total / parts) + (i < total % parts ? 1 : 0);

async function startSubscribers(cluster: Cluster, c: LiveCase): Promise<ChildProcess[]> {
  const children: ChildProcess[] = [];
  for (let i = 0; i < c.processes; i++) {
    const replica = cluster.replicas[i % c.replicas]!;
    children.push(forkBench('subscribers.ts', [replica.url, String(share(c.subscribers, c.processes, i))]));
  }
  const started = performance.now();
  // Joining hits the store three times per socket (owner, settings, snapshot): minutes on FerretDB.
  const ready = await Promise.allSettled(children.map((child) => nextMessage<{ type: string; sockets: number }>(child, 'ready', 900_000)));
  const failed = ready.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(children.map(stopChild));
    throw failed.reason;
  }
  c.log(`${c.subscribers} subscribers in ${c.processes} processes over ${c.replicas} server process(es) joined in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return children;
}

async function publish(cluster: Cluster, children: ChildProcess[], c: LiveCase): Promise<Omit<LiveResult, 'storeLabel'>> {
  const guest = await cluster.connectGuest(cluster.replicas[0]!);
  const loadBefore = os.loadavg()[0]!;
  const byReplica: number[][] = Array.from({ length: c.replicas }, () => []);
  const afterFirst: number[] = [];
  const firstAfterCreated: number[] = [];
  const missing = new Map<string, number>();
  const ackAfterCreated: number[] = [];
  let dropped = 0;
  try {
    for (let p = 0; p <= c.photos; p++) {
      const started = performance.now();
      const result = await uploadFile(guest, c.photo, { caption: `live ${p}` });
      const acked = Date.now();
      if (!result.ok) throw new Error(`upload ${p} failed: ${result.error.code} ${result.error.message}`);
      const photo = result.value;
      const collect = { type: 'collect', id: photo.id, waitMs: COLLECT_WAIT_MS };
      const replies = await Promise.all(
        children.map((child) => ask<{ type: string; latencies: number[]; dropped: number }>(child, collect, 'received', COLLECT_WAIT_MS + 30_000)),
      );
      dropped = replies.reduce((sum, r) => sum + r.dropped, 0);
      // Photo 0 is the warm-up (first commit, JIT, sharp): delivered, not recorded.
      if (p > 0) {
        ackAfterCreated.push(acked - photo.createdAt);
        replies.forEach((r, i) => byReplica[i % c.replicas]!.push(...r.latencies));
        const first = replies.reduce((low, r) => r.latencies.reduce((a, b) => Math.min(a, b), low), Infinity);
        if (Number.isFinite(first)) {
          firstAfterCreated.push(first);
          for (const r of replies) afterFirst.push(...r.latencies.map((l) => l - first));
        }
        const got = replies.reduce((sum, r) => sum + r.latencies.length, 0);
        if (got < c.subscribers) missing.set(photo.id, c.subscribers - got);
      }
      await sleep(c.spacingMs - (performance.now() - started));
    }
  } finally {
    guest.disconnect();
  }
  const load = [loadBefore, os.loadavg()[0]!] as const;
  return { latencies: byReplica.flat(), byReplica, afterFirst, firstAfterCreated, expected: c.photos * c.subscribers, missing, ackAfterCreated, dropped, load };
}

/** Starts the case's servers and subscribers, publishes, and stops everything it started. */
export async function runLiveCase(c: LiveCase): Promise<LiveResult> {
  const cluster = await startCluster({ replicas: c.replicas, redis: c.redis, store: 'shared' });
  if (!cluster) throw new Error(`no MongoDB-wire server${c.redis ? ' or no redis-server' : ''} here (see the SKIPPED line above)`);
  try {
    const children = await startSubscribers(cluster, c);
    try {
      return { ...(await publish(cluster, children, c)), storeLabel: cluster.mongo.label };
    } finally {
      // Subscribers first: a replica that drains with thousands of sockets waits for them.
      await Promise.all(children.map(stopChild));
    }
  } finally {
    await cluster.close();
  }
}
