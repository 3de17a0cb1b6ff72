import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Config } from './config';
import { sharedCall } from './util/concurrency';
import type { Logger } from './errors';
import { AdminAccess } from './admin/admin-access';
import { AdminSessions } from './admin/admin-sessions';
import { AdminCookie } from './http/admin-cookie';
import { createHttpApp } from './http/http-app';
import { MEDIA_CACHE_ENTRIES, MEDIA_CACHE_TTL_MS, MediaCache, staleKeys } from './photos/media-cache';
import { HeldBytes } from './photos/held-bytes';
import { OwnerCookie } from './http/owner-cookie';
import { WallService } from './photos/wall-service';
import { archiveStep } from './jobs/archive-job';
import { bookStep } from './jobs/book-job';
import { BookService } from './books/book-service';
import { printImage } from './media/print-image';
import { tuneLibvips } from './media/libvips';
import { JobRunner } from './jobs/job-runner';
import { MetadataStripper } from './media/archive';
import type { Notifier } from './notifier';
import { OwnerKeys } from './owners/owner-keys';
import { AttemptLimiter } from './limits/attempt-limiter';
import { BEGIN_LIMITS, DOWNLOAD_LIMIT, RequestLimiter } from './limits/request-limiter';
import { SignInLimiter, type SignInLimits } from './limits/sign-in-limiter';
import { attachAdminNamespace } from './realtime/admin-namespace';
import { RecoveryService } from './owners/recovery-service';
import { HostPhotos } from './photos/host-photos';
import { PhotoService } from './photos/photo-service';
import { attachHandlers, createSocketServer, reconnectEveryone, type PhotobookServer } from './realtime/socket-server';
import { socketNotifier } from './realtime/socket-notifier';
import { configuredDefaults } from './settings/event-settings';
import { SettingsService } from './settings/settings-service';
import { SharedPhotos } from './share/shared-photos';
import type { Store } from './store/types';
import { UploadService } from './upload/upload-service';
import { AdminStatsService } from './admin/admin-stats';
import { clientAddressOf } from './http/client-address';
import { readinessCheck } from './http/readiness';
import { localLimiters, sharedLimiters } from './limits/limiter';
import { SharedTurns } from './limits/shared-turns';
import { Metrics } from './observability/metrics';
import type { RedisLink } from './realtime/redis-link';
import { linkedPresence, listenToReplicas, resumeLocalScreens, soloPresence } from './realtime/replicas';

export type AppConfig = Pick<
  Config,
  | 'staticDir'
  | 'maxUploadBytes'
  | 'maxPixels'
  | 'maxUploadsPerGuest'
  | 'partialUploadsMaxBytes'
  | 'uploadIdleMs'
  | 'uploadDeadlineMs'
  | 'downscaleAboveBytes'
  | 'downscaleMaxEdge'
  | 'eventTitle'
  | 'allowedOrigins'
  | 'secureCookies'
  | 'publicUrl'
  | 'partialUploadsPerAddressBytes'
  | 'trustProxy'
  | 'drainTimeoutMs'
  | 'drainNoticeMs'
  | 'mediaMemoryBytes'
  | 'metricsToken'
>;

/** A book asked for here starts at once; this poll finds one asked for elsewhere or left by a crash. */
const BOOK_POLL_MS = 5_000;
/** How long the book waits at most, before each photo, for guests' photos being processed. */
const BOOK_YIELD_MS = 3_000;

/** New photos' archive copies start at once; this poll finds what a restart or another replica left. */
const ARCHIVE_POLL_MS = 5_000;
/**
 * How long an archive copy waits at most, before each of its steps (archiveStep's pace), while
 * guests' photos are being processed: ExifTool and the copy's reads and writes would take cores from
 * photos on their way to the wall.
 */
const ARCHIVE_YIELD_MS = 5_000;

export interface AppDeps {
  readonly config: AppConfig;
  readonly cookieSecret: string;
  readonly store: Store;
  readonly logger: Logger;
  /** This machine's LAN address, for the QR code when the wall runs on localhost. */
  readonly lanHost?: string | null;
  readonly now?: () => number;
  /** Strips the archive copies' metadata; specs pass one that fails on purpose. */
  readonly stripper?: Pick<MetadataStripper, 'strip' | 'close'>;
  /** Failed admin sign-ins: delay and lockout (specs pass small ones). */
  readonly signInLimits?: SignInLimits;
  /** The replicas' link (REDIS_URL): events, counts and limits shared. Absent: one server on its own. */
  readonly redis?: RedisLink | null;
  /** Built by main.ts (one registry per app); specs may leave it out. */
  readonly metrics?: Metrics;
}

export interface App {
  readonly http: HttpServer;
  readonly io: PhotobookServer;
  readonly uploads: UploadService;
  readonly photos: PhotoService;
  /** What the store knows a guest's cookie id by (specs look up a guest's records with it). */
  readonly ownerKeys: OwnerKeys;
  /** The host's switches; the admin console drives them. */
  readonly settings: SettingsService;
  /** The archive copies, made in the background (specs wait for them with idle()). */
  readonly archive: JobRunner;
  /** Photo books, made in the background like the archive copies. */
  readonly books: JobRunner;
  readonly metrics: Metrics;
  listen(port: number, host?: string): Promise<AddressInfo>;
  /**
   * SIGTERM: readiness turns false, no new connections or uploads are taken, requests in hand finish
   * (up to DRAIN_TIMEOUT_SECONDS), then every client is told to reconnect (it lands on another
   * replica). close() follows; the store is closed last, by main.ts.
   */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Assembles the app from its dependencies. Nothing listens and no timer runs until listen(). */
export function createApp(deps: AppDeps): App {
  const now = deps.now ?? Date.now;
  const { config, store, logger } = deps;
  tuneLibvips();
  const link = deps.redis ?? null;
  const metrics = deps.metrics ?? new Metrics();
  const limiters = link ? sharedLimiters(link.limiterClient) : localLimiters;
  const clientAddress = clientAddressOf(config.trustProxy);
  /** SIGTERM came: /readyz says so. */
  let draining = false;
  /** The drain's notice is over: no new connections or upload requests. */
  let refusing = false;
  const ownerCookie = new OwnerCookie(deps.cookieSecret, config.secureCookies);
  const ownerKeys = new OwnerKeys(deps.cookieSecret);
  const join = { publicUrl: config.publicUrl, lanHost: deps.lanHost ?? null };
  // The admin's password hash lives in the store (main.ts puts it there); its sessions in memory.
  const admin = new AdminAccess({
    store,
    sessions: new AdminSessions(store, now),
    cookie: new AdminCookie(deps.cookieSecret, config.secureCookies),
    limiter: new SignInLimiter(deps.signInLimits, limiters),
    now,
  });
  const allowedOrigins = config.allowedOrigins;
  const readiness = readinessCheck({ store, link, draining: () => draining, logger });
  const metricsText = { text: () => metrics.text(), contentType: metrics.contentType, token: config.metricsToken };
  // Share links read the host's switches per request (settings is assembled below, with the sockets).
  const share = {
    shared: new SharedPhotos({ store, settings: () => settings.publicSettings() }),
    downloads: new RequestLimiter('download-ip', DOWNLOAD_LIMIT, limiters),
  };
  const print = { eventTitle: async () => (await settings.publicSettings()).title };
  // Public images by key; photoChanged below (this replica) and 'media:stale' (the others) evict.
  const held = new HeldBytes(config.mediaMemoryBytes);
  const media = new MediaCache(
    async (key) => {
      const file = await store.openMedia(key);
      return file && held.wrap(key, file);
    },
    { maxEntries: MEDIA_CACHE_ENTRIES, ttlMs: MEDIA_CACHE_TTL_MS, now },
  );
  const httpApp = createHttpApp({ store, media, ownerCookie, staticDir: config.staticDir, logger, join, admin, allowedOrigins, readiness, metrics: metricsText, trustProxy: config.trustProxy, share, print, books: { download: () => bookService.download() } });
  const http = createServer(httpApp);
  const io = createSocketServer(http, {
    ownerCookie,
    ownerKeys,
    resolveOwner: (key) => store.resolveOwner(key),
    allowedOrigins: config.allowedOrigins,
    clientAddress,
    accepting: () => !refusing,
    adapter: link?.adapter(),
  });
  const facts = socketNotifier(() => io, link, logger);
  const presence = link ? linkedPresence(() => io, link) : soloPresence(() => io);
  const stripper = deps.stripper ?? new MetadataStripper();
  const archive = new JobRunner(
    'archive',
    () =>
      archiveStep({
        store,
        stripper,
        logger,
        now,
        scratchDir: os.tmpdir(),
        worker: `web-${process.pid}-${randomBytes(4).toString('hex')}`,
        pace: () => whileBusy(() => uploads.processingLoad, ARCHIVE_YIELD_MS),
      }),
    logger,
    ARCHIVE_POLL_MS,
  );
  const bookWorker = `web-${process.pid}-${randomBytes(4).toString('hex')}`;
  const books = new JobRunner(
    'book',
    () =>
      bookStep({
        store,
        logger,
        now,
        notifier,
        scratchDir: os.tmpdir(),
        worker: bookWorker,
        render: printImage,
        eventTitle: print.eventTitle,
        // The wall first: while guests' photos are being processed, the book waits (a while, not for ever).
        pace: () => whileBusy(() => uploads.processingLoad, BOOK_YIELD_MS),
      }),
    logger,
    BOOK_POLL_MS,
  );
  // New jobs (a new photo's archive copy): this replica starts on them now rather than at the next
  // poll, and the others hear of them through Redis; the poll still finds what a lost message left.
  const notifier: Notifier = {
    ...facts,
    // Before anyone is told: once the host hears "hidden", this replica no longer serves the images.
    photoChanged: (photo) => {
      media.forget(staleKeys(photo));
      facts.photoChanged(photo);
    },
    jobsQueued: () => {
      archive.kick();
      books.kick();
      facts.jobsQueued();
    },
  };
  listenToReplicas(io, {
    jobsQueued: () => {
      archive.kick();
      books.kick();
    },
    mediaStale: (keys) => media.forget(keys),
  });
  const settings = new SettingsService({ store, defaults: configuredDefaults(config), notifier });
  const uploads = new UploadService({
    store,
    logger,
    now,
    limits: {
      maxPixels: config.maxPixels,
      partialUploadsMaxBytes: config.partialUploadsMaxBytes,
      partialUploadsPerAddressBytes: config.partialUploadsPerAddressBytes,
      idleMs: config.uploadIdleMs,
      deadlineMs: config.uploadDeadlineMs,
    },
    hostLimits: (host) => settings.uploadLimits(host),
    notifier,
    turns: { perOwner: new SharedTurns('begin', limiters), admission: new SharedTurns('admission', limiters) },
    metrics,
  });
  const photos = new PhotoService(store, notifier);
  const recovery = new RecoveryService({
    store,
    keys: ownerKeys,
    // A guest mistypes a few times; a venue's shared Wi-Fi holds many guests.
    perBrowser: new AttemptLimiter('recovery-browser', { failures: 5, windowSeconds: 15 * 60 }, limiters),
    perIp: new AttemptLimiter('recovery-ip', { failures: 30, windowSeconds: 15 * 60 }, limiters),
    now,
  });
  const beginLimits = {
    perGuest: new RequestLimiter('begin-guest', BEGIN_LIMITS.perGuest, limiters),
    perIp: new RequestLimiter('begin-ip', BEGIN_LIMITS.perIp, limiters),
  };
  const addressKey = (address: string) => ownerKeys.addressKey(address);
  attachHandlers(io, { uploads, settings, wall: new WallService(store), photos, recovery, beginLimits, addressKey, logger });
  const stats = new AdminStatsService({ store, presence });
  const bookService = new BookService({ store, notifier, eventTitle: print.eventTitle, now });
  attachAdminNamespace(io, { admin, allowedOrigins, settings, photos, host: new HostPhotos(store, photos), stats, books: bookService, logger });
  link?.onResumed(() => void resumeLocalScreens(io, { settings, store }, logger));
  // One question to the other replicas per scrape, shared by the two gauges that need its answer.
  const cluster = sharedCall(() => presence.cluster());
  metrics.watch({
    socketsByNamespace: () => presence.localSockets(),
    wallsConnected: async () => (await cluster()).walls,
    redis: () => ({ configured: link !== null, up: link?.state === 'up' }),
    replicas: async () => (await cluster()).cluster.replicas,
    jobQueue: async () => {
      const queue = await store.jobQueue();
      return { depth: queue.depth, oldestAgeSeconds: queue.oldestQueuedAt === null ? null : Math.max(0, now() - queue.oldestQueuedAt) / 1000 };
    },
  });
  let sweeper: NodeJS.Timeout | null = null;

  return {
    http,
    io,
    uploads,
    photos,
    ownerKeys,
    settings,
    archive,
    books,
    metrics,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          archive.start();
          books.start();
          sweeper = setInterval(() => {
            uploads.sweep().catch((e: unknown) => logger.error('sweep failed', { error: String(e) }));
          }, Math.min(config.uploadIdleMs, 60_000));
          sweeper.unref();
          // A disk that is already full at start is said at once, not at the first sweep.
          uploads.storage.check().catch((e: unknown) => logger.error('could not read free space', { error: String(e) }));
          resolve(http.address() as AddressInfo);
        });
      });
    },
    async drain() {
      // Readiness turns false first; for DRAIN_NOTICE_SECONDS the replica serves on as before, so a
      // balancer polling /readyz stops sending it guests before it refuses anyone.
      draining = true;
      logger.info('draining', { noticeSeconds: config.drainNoticeMs / 1000 });
      if (config.drainNoticeMs > 0) await new Promise((resolve) => setTimeout(resolve, config.drainNoticeMs));
      refusing = true;
      // No new connections: a proxy or the page's retry finds another replica.
      http.close();
      const settled = await uploads.drain(config.drainTimeoutMs);
      if (!settled) logger.warn('drain deadline passed with upload requests still in hand');
      // Closing the transport (not a Socket.IO disconnect, which stops a client for good) makes every
      // page reconnect at once; it resumes its uploads from the acknowledged offset elsewhere.
      reconnectEveryone(io);
      logger.info('drained', { settled });
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      await archive.stop();
      await books.stop();
      await stripper.close();
      // io.close() also closes the HTTP server, which then waits for every connection to end.
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      // Open pages keep keep-alive and long-poll connections busy (reconnecting): end them now.
      http.closeAllConnections();
      await closed;
    },
  };
}

/** Resolves once `load` shows no image work running or waiting, or after `maxMs` in any case. */
async function whileBusy(load: () => { readonly running: number; readonly waiting: number }, maxMs: number): Promise<void> {
  for (const until = Date.now() + maxMs; Date.now() < until; ) {
    const { running, waiting } = load();
    if (running + waiting === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
