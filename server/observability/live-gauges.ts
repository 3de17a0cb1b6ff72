import { Counter, Gauge, type Registry } from 'prom-client';

/** A reading taken at scrape time. It may be async and may throw. */
export type Sample<T> = () => T | Promise<T>;

export interface RedisLink {
  /** Whether this replica runs with Redis at all (REDIS_URL set). */
  readonly configured: boolean;
  /** Whether the link answers now; false when not configured. */
  readonly up: boolean;
}

export interface JobQueueState {
  readonly depth: number;
  /** Age of the oldest queued job in seconds; null when the queue is empty. */
  readonly oldestAgeSeconds: number | null;
}

/** What the composition root can report; each one is read once per scrape. */
export interface LiveSources {
  /** Connected sockets per namespace ('/', '/admin', ...). */
  readonly socketsByNamespace?: Sample<Readonly<Record<string, number>>>;
  readonly wallsConnected?: Sample<number>;
  readonly redis?: Sample<RedisLink>;
  readonly jobQueue?: Sample<JobQueueState>;
  /** Replicas serving this event (1 without Redis). */
  readonly replicas?: Sample<number>;
}

type SourceName = keyof LiveSources;

const bit = (flag: boolean): number => (flag ? 1 : 0);

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/**
 * Gauges read from callbacks at scrape time. A source that throws, rejects or does not answer in
 * time leaves its gauges at their previous value (0 before the first good reading) and counts a
 * failure in photobook_metrics_sample_failures_total: one broken reading must not cost the whole
 * scrape, and the failure counter tells the stale value apart from a real one.
 */
export class LiveGauges {
  private sources: LiveSources = {};
  private readonly apply: { readonly [K in SourceName]-?: (value: Awaited<ReturnType<NonNullable<LiveSources[K]>>>) => void };
  private readonly failures: Counter<'source'>;

  constructor(registers: Registry[], private readonly timeoutMs: number) {
    const gauge = <L extends string = never>(name: string, help: string, labelNames: L[] = []) =>
      new Gauge<L>({ name, help, labelNames, registers });
    const sockets = gauge('photobook_sockets', 'Connected sockets by namespace.', ['namespace']);
    const walls = gauge('photobook_walls_connected', 'Wall screens connected.');
    const redisUp = gauge('photobook_redis_up', '1 when the Redis link answers, else 0.');
    const redisConfigured = gauge('photobook_redis_configured', '1 when this replica runs with Redis.');
    const depth = gauge('photobook_job_queue_depth', 'Background jobs waiting or leased.');
    const oldest = gauge('photobook_job_queue_oldest_age_seconds', 'Age of the oldest queued job; 0 when none.');
    const replicas = gauge('photobook_replicas', 'Replicas serving this event.');
    this.failures = new Counter({
      name: 'photobook_metrics_sample_failures_total',
      help: 'Scrape-time readings that failed; their gauges kept the previous value.',
      labelNames: ['source'],
      registers,
    });
    this.apply = {
      socketsByNamespace: (counts) => {
        const entries = Object.entries(counts);
        for (const [, n] of entries) if (typeof n !== 'number') throw new TypeError('socket count is not a number');
        // Reset first so that a namespace with no sockets left stops being reported.
        sockets.reset();
        for (const [namespace, n] of entries) sockets.set({ namespace }, n);
      },
      wallsConnected: (n) => walls.set(n),
      redis: (link) => {
        redisConfigured.set(bit(link.configured));
        redisUp.set(bit(link.configured && link.up));
      },
      jobQueue: (queue) => {
        depth.set(queue.depth);
        oldest.set(queue.oldestAgeSeconds ?? 0);
      },
      replicas: (n) => replicas.set(n),
    };
  }

  /** Adds sources; a source named again replaces the earlier one. */
  watch(sources: LiveSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** Reads every source at once; never rejects. */
  async sample(): Promise<void> {
    const names = Object.keys(this.sources) as SourceName[];
    await Promise.all(names.map((name) => this.sampleOne(name)));
  }

  private async sampleOne<K extends SourceName>(name: K): Promise<void> {
    const source = this.sources[name] as (() => unknown) | undefined;
    if (source === undefined) return;
    try {
      const value = await within(this.timeoutMs, Promise.resolve().then(source));
      (this.apply[name] as (v: unknown) => void)(value);
    } catch {
      this.failures.inc({ source: name });
    }
  }
}
