// Issue 25: each replica serves hot images from a cache of key -> file. A photo hidden on A stops
// being served on A at once and on B as soon as Redis carries the word; with Redis down, within the
// cache's TTL (MEDIA_CACHE_TTL_MS).
import type { AdminPhotoDto } from '@photobook/shared';
import { setTimeout as sleep } from 'node:timers/promises';
import { MEDIA_CACHE_TTL_MS } from '../../server/photos/media-cache';
import { CLUSTER_START_TIMEOUT_MS, useCluster } from '../fixtures/cluster';
import { solidPng } from '../fixtures/images';
import type { Replica } from '../fixtures/replica';
import { uploadFile } from '../fixtures/replica-guests';
import { ask, openConsole } from '../fixtures/replica-screens';

/** Far below the TTL: an answer within it came through Redis, not from an entry that expired. */
const THROUGH_REDIS_MS = 1_000;

describe('two replicas serving the same images from their caches', () => {
  const env = useCluster({ replicas: 2 });

  /** A new photo's thumbnail URL on A and on B, each fetched just now so both caches hold it. */
  async function hotOnBoth(width: number): Promise<{ id: string; onA: string; onB: string }> {
    const [a, b] = env.cluster.replicas as [Replica, Replica];
    const guest = await env.cluster.connectGuest(a);
    const sent = await uploadFile(guest, await solidPng(width, 40));
    if (!sent.ok) throw new Error(sent.error.message);
    const onA = new URL(sent.value.thumbUrl, a.url).href;
    const onB = new URL(sent.value.thumbUrl, b.url).href;
    for (const url of [onA, onB, onA, onB]) {
      const response = await fetch(url);
      expect(response.status).withContext(url).toBe(200);
      await response.arrayBuffer();
    }
    return { id: sent.value.id, onA, onB };
  }

  /** Milliseconds until `url` answers 404 (polled), or null if it still serves after `limitMs`. */
  async function msUntilGone(url: string, limitMs: number): Promise<number | null> {
    const started = Date.now();
    while (Date.now() - started <= limitMs) {
      if ((await fetch(url)).status === 404) return Date.now() - started;
      await sleep(50);
    }
    return null;
  }

  /** Both replicas say ready (Redis answers them), and a second more for ioredis to subscribe again. */
  async function linked(): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (const replica of env.cluster.replicas) {
      while ((await fetch(`${replica.url}/readyz`)).status !== 200) {
        if (Date.now() > deadline) throw new Error(`${replica.name} not ready again`);
        await sleep(100);
      }
    }
    await sleep(1_000);
  }

  async function hideOnA(id: string): Promise<void> {
    const host = await openConsole(env.cluster.replicas[0]!.url, env.cluster.adminPassword);
    try {
      const hidden = await ask<AdminPhotoDto>(host, 'admin:moderate', { id, state: 'hidden' });
      expect(hidden.ok).withContext(JSON.stringify(hidden)).toBeTrue();
    } finally {
      host.close();
    }
  }

  it('answer 404 for a hidden photo’s image on A at once and on B within a second (through Redis)', async () => {
    await linked();
    const { id, onA, onB } = await hotOnBoth(70);
    await hideOnA(id);
    expect((await fetch(onA)).status).withContext('on A, right after the host heard "hidden"').toBe(404);
    expect(await msUntilGone(onB, THROUGH_REDIS_MS)).withContext('ms until B answers 404').not.toBeNull();
  }, CLUSTER_START_TIMEOUT_MS);

  it('answer 404 on B within the cache’s TTL when Redis is down and cannot carry the word', async () => {
    const redis = env.cluster.redis!;
    const { id, onA, onB } = await hotOnBoth(74);
    await redis.stop();
    try {
      await hideOnA(id);
      expect((await fetch(onA)).status).withContext('on A, at once').toBe(404);
      const ms = await msUntilGone(onB, MEDIA_CACHE_TTL_MS + 1_000);
      expect(ms).withContext(`ms until B answers 404 (TTL ${MEDIA_CACHE_TTL_MS} ms)`).not.toBeNull();
    } finally {
      await redis.start();
      await linked();
    }
  }, CLUSTER_START_TIMEOUT_MS);
});
