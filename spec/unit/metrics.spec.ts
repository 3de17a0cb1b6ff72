import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { ErrorCode } from '@photobook/shared';
import { Metrics } from '../../server/observability/metrics';
import { noMetrics, type UploadMetrics } from '../../server/observability/upload-metrics';

async function scrape(metrics: Metrics): Promise<Map<string, ParsedFamily>> {
  const families = parsePrometheusTextFormat(await metrics.text());
  return new Map(families.map((f) => [f.name, f]));
}

/** The value of one sample, found by its labels (none: the unlabelled sample). */
function valueOf(families: Map<string, ParsedFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = families.get(name);
  const sample = family?.metrics.find((m) => JSON.stringify(m.labels ?? {}) === JSON.stringify(labels));
  return sample?.value === undefined ? undefined : Number(sample.value);
}

describe('Prometheus metrics', () => {
  let metrics: Metrics;
  beforeEach(() => {
    metrics = new Metrics({ sampleTimeoutMs: 200 });
  });

  it('writes text that a Prometheus parser reads, with the runtime metrics beside ours', async () => {
    expect(metrics.contentType).toMatch(/^text\/plain/);
    const families = await scrape(metrics);
    expect(families.get('nodejs_eventloop_lag_seconds')?.type).toBe('GAUGE');
    expect(families.get('photobook_uploads_begun_total')?.type).toBe('COUNTER');
    expect(families.get('photobook_upload_commit_seconds')?.type).toBe('HISTOGRAM');
    expect(families.get('photobook_redis_up')?.type).toBe('GAUGE');
    for (const name of families.keys()) {
      if (!name.startsWith('nodejs_') && !name.startsWith('process_')) expect(name).toMatch(/^photobook_/);
    }
  });

  it('moves the upload counts and latencies when the upload path reports', async () => {
    const uploads: UploadMetrics = metrics;
    uploads.begun();
    uploads.begun();
    uploads.received(1000);
    uploads.received(24);
    uploads.processed(0.3);
    uploads.committed(0.5);
    uploads.failed(ErrorCode.TooLarge);
    uploads.failed(ErrorCode.TooLarge);
    uploads.failed(ErrorCode.OffsetMismatch);
    const families = await scrape(metrics);
    expect(valueOf(families, 'photobook_uploads_begun_total')).toBe(2);
    expect(valueOf(families, 'photobook_upload_bytes_received_total')).toBe(1024);
    expect(valueOf(families, 'photobook_uploads_committed_total')).toBe(1);
    expect(valueOf(families, 'photobook_uploads_failed_total', { code: 'TOO_LARGE' })).toBe(2);
    expect(valueOf(families, 'photobook_uploads_failed_total', { code: 'OFFSET_MISMATCH' })).toBe(1);
    const commit = families.get('photobook_upload_commit_seconds')!.metrics[0]!;
    expect([commit.count, commit.sum, commit.buckets?.['0.25'], commit.buckets?.['0.5']]).toEqual(['1', '0.5', '0', '1']);
    expect(families.get('photobook_image_processing_seconds')!.metrics[0]!.count).toBe('1');
  });

  it('ignores a negative or non-finite reading instead of throwing into the upload path', async () => {
    expect(() => {
      metrics.received(-5);
      metrics.received(Number.NaN);
      metrics.committed(Number.POSITIVE_INFINITY);
      metrics.processed(-1);
    }).not.toThrow();
    const families = await scrape(metrics);
    expect(valueOf(families, 'photobook_upload_bytes_received_total')).toBe(0);
    expect(valueOf(families, 'photobook_uploads_committed_total')).toBe(1);
    expect(families.get('photobook_upload_commit_seconds')!.metrics[0]!.count).toBe('0');
  });

  it('reads the live gauges from their sources at scrape time, async ones included', async () => {
    let walls = 2;
    metrics.watch({
      socketsByNamespace: async () => ({ '/': 5, '/admin': 1 }),
      wallsConnected: () => walls,
      redis: () => ({ configured: true, up: true }),
      jobQueue: async () => ({ depth: 3, oldestAgeSeconds: 42 }),
      replicas: () => 2,
    });
    let families = await scrape(metrics);
    expect(valueOf(families, 'photobook_sockets', { namespace: '/' })).toBe(5);
    expect(valueOf(families, 'photobook_sockets', { namespace: '/admin' })).toBe(1);
    expect(valueOf(families, 'photobook_walls_connected')).toBe(2);
    expect([valueOf(families, 'photobook_redis_configured'), valueOf(families, 'photobook_redis_up')]).toEqual([1, 1]);
    expect([valueOf(families, 'photobook_job_queue_depth'), valueOf(families, 'photobook_job_queue_oldest_age_seconds')]).toEqual([3, 42]);
    expect(valueOf(families, 'photobook_replicas')).toBe(2);

    walls = 4;
    metrics.watch({ jobQueue: () => ({ depth: 0, oldestAgeSeconds: null }), socketsByNamespace: () => ({ '/': 1 }) });
    families = await scrape(metrics);
    expect(valueOf(families, 'photobook_walls_connected')).toBe(4);
    expect(valueOf(families, 'photobook_job_queue_oldest_age_seconds')).toBe(0);
    expect(valueOf(families, 'photobook_sockets', { namespace: '/admin' })).withContext('a namespace gone quiet').toBeUndefined();
  });

  it('keeps the scrape working when a source throws, rejects or hangs, and counts the failure', async () => {
    let depth = 7;
    metrics.watch({ jobQueue: () => ({ depth, oldestAgeSeconds: 1 }), replicas: () => 3 });
    await metrics.text();
    depth = 8;
    metrics.watch({
      jobQueue: () => {
        throw new Error('store down');
      },
      replicas: () => Promise.reject(new Error('redis down')),
      wallsConnected: () => new Promise<number>(() => {}),
    });
    const families = await scrape(metrics);
    expect(valueOf(families, 'photobook_job_queue_depth')).withContext('the previous value stays').toBe(7);
    expect(valueOf(families, 'photobook_replicas')).toBe(3);
    expect(valueOf(families, 'photobook_walls_connected')).withContext('no good reading yet').toBe(0);
    for (const source of ['jobQueue', 'replicas', 'wallsConnected']) {
      expect(valueOf(families, 'photobook_metrics_sample_failures_total', { source })).withContext(source).toBe(1);
    }
    expect(families.has('nodejs_eventloop_lag_seconds')).toBeTrue();
  });

  it('reports redis as down when it is not configured at all', async () => {
    metrics.watch({ redis: () => ({ configured: false, up: true }) });
    const families = await scrape(metrics);
    expect([valueOf(families, 'photobook_redis_configured'), valueOf(families, 'photobook_redis_up')]).toEqual([0, 0]);
  });

  it('shares no state between two instances (no global registry)', async () => {
    const other = new Metrics();
    metrics.begun();
    metrics.failed(ErrorCode.Internal);
    metrics.watch({ replicas: () => 5 });
    const mine = await scrape(metrics);
    const theirs = await scrape(other);
    expect(valueOf(mine, 'photobook_uploads_begun_total')).toBe(1);
    expect(valueOf(theirs, 'photobook_uploads_begun_total')).toBe(0);
    expect(valueOf(theirs, 'photobook_uploads_failed_total', { code: 'INTERNAL' })).toBeUndefined();
    expect(valueOf(theirs, 'photobook_replicas')).toBe(0);
  });

  it('offers a no-op for specs that does nothing and throws nothing', () => {
    expect(() => {
      noMetrics.begun();
      noMetrics.committed(1);
      noMetrics.failed(ErrorCode.Internal);
      noMetrics.received(10);
      noMetrics.processed(1);
    }).not.toThrow();
  });
});
