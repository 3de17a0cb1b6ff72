import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { ErrorCode } from '@photobook/shared';
import { LiveGauges, type LiveSources } from './live-gauges';
import type { UploadMetrics } from './upload-metrics';

/** 10 ms to 30 s: a small JPEG commits in tens of ms; a large HEIC-sized photo on a busy replica takes seconds. */
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface MetricsOptions {
  /** How long a scrape waits for one live source before keeping its previous value (default 2000). */
  readonly sampleTimeoutMs?: number;
}

// A metric must never throw into the path it measures (prom-client throws on a negative counter step).
const usable = (n: number): boolean => Number.isFinite(n) && n >= 0;

/**
 * The server's metrics in a registry of its own: no prom-client global, so two instances (two apps in
 * one spec process) share nothing. Built in the composition root; services see only UploadMetrics.
 */
export class Metrics implements UploadMetrics {
  private readonly registry = new Registry();
  private readonly live: LiveGauges;
  private readonly uploadsBegun: Counter;
  private readonly uploadsCommitted: Counter;
  private readonly uploadsFailed: Counter<'code'>;
  private readonly bytesReceived: Counter;
  private readonly commitSeconds: Histogram;
  private readonly processingSeconds: Histogram;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    // Process and runtime metrics under their usual names (nodejs_eventloop_lag_seconds, ...) so
    // stock Node.js dashboards work unchanged.
    collectDefaultMetrics({ register: this.registry });
    this.uploadsBegun = new Counter({ name: 'photobook_uploads_begun_total', help: 'Uploads accepted at begin.', registers });
    this.uploadsCommitted = new Counter({ name: 'photobook_uploads_committed_total', help: 'Uploads that became photos.', registers });
    this.uploadsFailed = new Counter({
      name: 'photobook_uploads_failed_total',
      help: 'Upload requests that failed, by error code.',
      labelNames: ['code'],
      registers,
    });
    this.bytesReceived = new Counter({ name: 'photobook_upload_bytes_received_total', help: 'Chunk bytes accepted.', registers });
    this.commitSeconds = new Histogram({
      name: 'photobook_upload_commit_seconds',
      help: 'From a commit request to its answer.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.processingSeconds = new Histogram({
      name: 'photobook_image_processing_seconds',
      help: 'Image processing of one upload (decode, strip, resize).',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.live = new LiveGauges(registers, options.sampleTimeoutMs ?? 2000);
  }

  /** The Content-Type header for text(). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Registers scrape-time readings; a source named again replaces the earlier one. */
  watch(sources: LiveSources): void {
    this.live.watch(sources);
  }

  /** The Prometheus text exposition, with live gauges read just before. */
  async text(): Promise<string> {
    await this.live.sample();
    return this.registry.metrics();
  }

  begun(): void {
    this.uploadsBegun.inc();
  }

  committed(seconds: number): void {
    this.uploadsCommitted.inc();
    if (usable(seconds)) this.commitSeconds.observe(seconds);
  }

  failed(code: ErrorCode): void {
    this.uploadsFailed.inc({ code });
  }

  received(bytes: number): void {
    if (usable(bytes)) this.bytesReceived.inc(bytes);
  }

  processed(seconds: number): void {
    if (usable(seconds)) this.processingSeconds.observe(seconds);
  }
}
