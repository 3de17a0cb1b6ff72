import path from 'node:path';
import { LOG_LEVELS, type LogLevel } from './observability/log-level';
import {
  DEFAULT_DOWNSCALE_ABOVE_BYTES,
  DEFAULT_DOWNSCALE_MAX_EDGE,
  DEFAULT_MAX_PIXELS,
  DEFAULT_MAX_UPLOAD_BYTES,
  DEFAULT_MAX_UPLOADS_PER_GUEST,
  DEFAULT_UPLOAD_DEADLINE_MS,
  DEFAULT_UPLOAD_IDLE_MS,
} from '@photobook/shared';

/** Everything the server reads from its environment, parsed once in main.ts and passed down. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Where the embedded store keeps its database, image files and partial uploads. */
  readonly dataDir: string;
  /** MONGODB_URI: set, the MongoDB store (replicas share it); unset, the embedded store in dataDir. */
  readonly mongodbUri: string | null;
  /** MONGODB_DATABASE: the database name when the URI names none (default photobook). */
  readonly mongodbDatabase: string | null;
  /** Free disk space kept for deletes and the sweep; uploads wait (STORAGE_FULL) below it. */
  readonly storageReserveBytes: number;
  /** fsync every acknowledged chunk and image (survives a power cut), or leave it to the OS. */
  readonly syncWrites: boolean;
  /** Built Angular app (index.html and assets). */
  readonly staticDir: string;
  /** Signs the owner cookie. Unset: main.ts keeps a random one in dataDir. */
  readonly cookieSecret: string | null;
  readonly maxUploadBytes: number;
  readonly maxPixels: number;
  /** Open uploads one guest may have at once. */
  readonly maxUploadsPerGuest: number;
  /** Declared bytes all open partial uploads together may hold; past it begins answer SERVER_BUSY. */
  readonly partialUploadsMaxBytes: number;
  /** A partial upload untouched this long is deleted. */
  readonly uploadIdleMs: number;
  /** No upload stays open longer than this. */
  readonly uploadDeadlineMs: number;
  /** Phones downscale photos above this many bytes before sending them; null: never. */
  readonly downscaleAboveBytes: number | null;
  /** Long edge in pixels of a photo downscaled on the phone. */
  readonly downscaleMaxEdge: number;
  /** Origins allowed to open a socket besides the page's own origin. */
  readonly allowedOrigins: readonly string[];
  /** Public base URL guests use (PUBLIC_URL), e.g. https://photos.example.com. */
  readonly publicUrl: string | null;
  /** Whether the owner cookie is marked Secure (behind HTTPS). */
  readonly secureCookies: boolean;
  /** EVENT_TITLE: the event's name until the host sets one in the console. */
  readonly eventTitle: string;
  /** ADMIN_PASSWORD: replaces the stored admin password at start. Unset: one is generated once. */
  readonly adminPassword: string | null;
  /** REDIS_URL: set, replicas share events and limits through Redis; unset, one server on its own. */
  readonly redisUrl: string | null;
  /**
   * TRUST_PROXY: the proxies (addresses, CIDR ranges, or loopback / linklocal / uniquelocal) whose
   * X-Forwarded-For names the guest's address. Empty: the connection's own address is the guest's.
   */
  readonly trustProxy: readonly string[];
  /** Declared bytes one client address may hold in partial uploads (PARTIAL_UPLOADS_PER_ADDRESS_MB). */
  readonly partialUploadsPerAddressBytes: number;
  /** LOG_LEVEL: fatal, error, warn, info (default), debug, trace or silent. */
  readonly logLevel: LogLevel;
  /** After SIGTERM, how long uploads in flight may take to finish before their connections close. */
  readonly drainTimeoutMs: number;
  /**
   * DRAIN_NOTICE_SECONDS: after SIGTERM, how long /readyz answers 503 while the replica still serves
   * as before, so a balancer that polls it stops sending new guests before connections are refused.
   */
  readonly drainNoticeMs: number;
  /**
   * MEDIA_MEMORY_MB: bytes of small images (thumbnails, most display images) /media keeps in memory.
   * Default 32 MB with MongoDB, where every GridFS read is a network round trip; 0 on the embedded
   * store, where the operating system's page cache already does this.
   */
  readonly mediaMemoryBytes: number;
  /** METRICS_TOKEN: set, /metrics asks for `Authorization: Bearer <token>`; unset, it is open. */
  readonly metricsToken: string | null;
}

const MINUTE = 60_000;
/** A venue's guests may share one public address: room for a busy burst, not for the whole cap. */
const DEFAULT_PARTIAL_PER_ADDRESS_MB = 512;
const TRUST_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const IP_OR_CIDR = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)(\/\d{1,3})?$/;
const MB = 1024 * 1024;

export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

function intFrom(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

function boolFrom(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}".`);
}

function listFrom(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function parseConfig(env: Env, cwd: string): Config {
  const secret = env['COOKIE_SECRET'];
  if (secret !== undefined && secret.length > 0 && secret.length < 32) {
    throw new ConfigError('COOKIE_SECRET must be at least 32 characters.');
  }
  const publicUrl = env['PUBLIC_URL']?.trim() || null;
  if (publicUrl && !/^https?:\/\/[^/]+/.test(publicUrl)) {
    throw new ConfigError(`PUBLIC_URL must be an http(s) URL, got "${publicUrl}".`);
  }
  const adminPassword = env['ADMIN_PASSWORD'] || null;
  if (adminPassword !== null && (adminPassword.length < 12 || adminPassword.length > 256)) {
    throw new ConfigError('ADMIN_PASSWORD must be 12 to 256 characters.');
  }
  if (env['STORAGE_RESERVE_MB'] && env['MIN_FREE_DISK_MB'] && env['STORAGE_RESERVE_MB'] !== env['MIN_FREE_DISK_MB']) {
    throw new ConfigError('MIN_FREE_DISK_MB and STORAGE_RESERVE_MB name the same setting; set one of them.');
  }
  const reserveName = env['MIN_FREE_DISK_MB'] ? 'MIN_FREE_DISK_MB' : 'STORAGE_RESERVE_MB';
  const eventTitle = (env['EVENT_TITLE'] ?? '').trim();
  if (eventTitle.length > 80) throw new ConfigError('EVENT_TITLE can have at most 80 characters.');
  const mongodbUri = env['MONGODB_URI']?.trim() || null;
  if (mongodbUri && !/^mongodb(\+srv)?:\/\/\S+$/.test(mongodbUri)) {
    throw new ConfigError('MONGODB_URI must be a mongodb:// or mongodb+srv:// connection string.');
  }
  const mongodbDatabase = env['MONGODB_DATABASE']?.trim() || null;
  if (mongodbDatabase && !/^[A-Za-z0-9_-]{1,63}$/.test(mongodbDatabase)) {
    throw new ConfigError('MONGODB_DATABASE must be 1 to 63 letters, digits, _ or -.');
  }
  const redisUrl = env['REDIS_URL']?.trim() || null;
  if (redisUrl && !/^rediss?:\/\/\S+$/.test(redisUrl)) {
    throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL.');
  }
  const trustProxy = listFrom(env, 'TRUST_PROXY');
  for (const entry of trustProxy) {
    if (!TRUST_NAMES.has(entry) && !IP_OR_CIDR.test(entry)) {
      throw new ConfigError(`TRUST_PROXY takes addresses, CIDR ranges, loopback, linklocal or uniquelocal; got "${entry}".`);
    }
  }
  const logLevel = (env['LOG_LEVEL']?.trim() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.`);
  const metricsToken = env['METRICS_TOKEN'] || null;
  if (metricsToken !== null && metricsToken.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters.');
  const downscaleAboveMb = intFrom(env, 'DOWNSCALE_ABOVE_MB', DEFAULT_DOWNSCALE_ABOVE_BYTES / MB, 0, 2048);
  return Object.freeze({
    port: intFrom(env, 'PORT', 3000, 0, 65535),
    host: env['HOST'] ?? '0.0.0.0',
    dataDir: path.resolve(cwd, env['DATA_DIR'] ?? 'data'),
    mongodbUri,
    mongodbDatabase,
    storageReserveBytes: MB * intFrom(env, reserveName, 256, 0, 1024 * 1024),
    syncWrites: boolFrom(env, 'SYNC_WRITES', true),
    staticDir: path.resolve(cwd, env['STATIC_DIR'] ?? 'dist/client/browser'),
    cookieSecret: secret && secret.length > 0 ? secret : null,
    maxUploadBytes: intFrom(env, 'MAX_UPLOAD_BYTES', DEFAULT_MAX_UPLOAD_BYTES, 1024, 2 ** 31),
    maxPixels: intFrom(env, 'MAX_PIXELS', DEFAULT_MAX_PIXELS, 1, 1_000_000_000),
    maxUploadsPerGuest: intFrom(env, 'MAX_UPLOADS_PER_GUEST', DEFAULT_MAX_UPLOADS_PER_GUEST, 1, 1000),
    partialUploadsMaxBytes: MB * intFrom(env, 'PARTIAL_UPLOADS_MAX_MB', 2048, 1, 1024 * 1024),
    uploadIdleMs: MINUTE * intFrom(env, 'UPLOAD_IDLE_MINUTES', DEFAULT_UPLOAD_IDLE_MS / MINUTE, 1, 7 * 24 * 60),
    uploadDeadlineMs: MINUTE * intFrom(env, 'UPLOAD_DEADLINE_MINUTES', DEFAULT_UPLOAD_DEADLINE_MS / MINUTE, 1, 7 * 24 * 60),
    downscaleAboveBytes: downscaleAboveMb === 0 ? null : downscaleAboveMb * MB,
    downscaleMaxEdge: intFrom(env, 'DOWNSCALE_MAX_EDGE', DEFAULT_DOWNSCALE_MAX_EDGE, 640, 16384),
    allowedOrigins: Object.freeze(listFrom(env, 'ALLOWED_ORIGINS')),
    publicUrl,
    secureCookies: env['SECURE_COOKIES'] === 'true',
    eventTitle,
    adminPassword,
    redisUrl,
    trustProxy: Object.freeze(trustProxy),
    partialUploadsPerAddressBytes: MB * intFrom(env, 'PARTIAL_UPLOADS_PER_ADDRESS_MB', DEFAULT_PARTIAL_PER_ADDRESS_MB, 1, 1024 * 1024),
    logLevel,
    drainTimeoutMs: 1000 * intFrom(env, 'DRAIN_TIMEOUT_SECONDS', 10, 0, 600),
    drainNoticeMs: 1000 * intFrom(env, 'DRAIN_NOTICE_SECONDS', 0, 0, 120),
    mediaMemoryBytes: MB * intFrom(env, 'MEDIA_MEMORY_MB', mongodbUri ? 32 : 0, 0, 4096),
    metricsToken,
  });
}

/** For the entry points (the server and its scripts): the config, or one line and exit code 2. */
export function configOrExit(env: Env, cwd: string): Config {
  try {
    return parseConfig(env, cwd);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Configuration error: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
}
