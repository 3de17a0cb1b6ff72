import { ConfigError, parseConfig } from '../../server/config';

describe('configuration parsing', () => {
  it('defaults to port 3000 and ./data for the embedded store', () => {
    const config = parseConfig({}, '/srv/app');
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('/srv/app/data');
    expect(config.maxUploadBytes).toBe(50 * 1024 * 1024);
    expect(Object.isFrozen(config)).toBeTrue();
  });

  it('reads overrides from the environment', () => {
    const config = parseConfig({ PORT: '8080', DATA_DIR: '/var/pb', ALLOWED_ORIGINS: 'https://a.example, https://b.example' }, '/');
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe('/var/pb');
    expect(config.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('names the variable when a value is invalid', () => {
    expect(() => parseConfig({ PORT: 'eighty' }, '/')).toThrowMatching((e) => e instanceof ConfigError && /PORT/.test(e.message));
    expect(() => parseConfig({ COOKIE_SECRET: 'short' }, '/')).toThrowError(ConfigError, /COOKIE_SECRET/);
  });

  it('reads the upload limits and the downscale threshold, where 0 turns downscaling off', () => {
    const defaults = parseConfig({}, '/');
    expect([defaults.maxUploadsPerGuest, defaults.uploadIdleMs, defaults.uploadDeadlineMs]).toEqual([6, 15 * 60_000, 120 * 60_000]);
    expect(defaults.downscaleAboveBytes).toBe(8 * 1024 * 1024);
    const set = parseConfig({ MAX_UPLOADS_PER_GUEST: '3', UPLOAD_IDLE_MINUTES: '5', UPLOAD_DEADLINE_MINUTES: '30', DOWNSCALE_ABOVE_MB: '0' }, '/');
    expect([set.maxUploadsPerGuest, set.uploadIdleMs, set.uploadDeadlineMs, set.downscaleAboveBytes]).toEqual([3, 5 * 60_000, 30 * 60_000, null]);
    expect(() => parseConfig({ UPLOAD_IDLE_MINUTES: '0' }, '/')).toThrowError(ConfigError, /UPLOAD_IDLE_MINUTES/);
  });

  it('keeps a 256 MB storage reserve and syncs every write unless told otherwise', () => {
    const defaults = parseConfig({}, '/');
    expect([defaults.storageReserveBytes, defaults.syncWrites]).toEqual([256 * 1024 * 1024, true]);
    const set = parseConfig({ STORAGE_RESERVE_MB: '16', SYNC_WRITES: 'false' }, '/');
    expect([set.storageReserveBytes, set.syncWrites]).toEqual([16 * 1024 * 1024, false]);
    expect(() => parseConfig({ SYNC_WRITES: 'maybe' }, '/')).toThrowError(ConfigError, /SYNC_WRITES/);
    expect(() => parseConfig({ STORAGE_RESERVE_MB: '-1' }, '/')).toThrowError(ConfigError, /STORAGE_RESERVE_MB/);
  });

  it('caps all open partial uploads together at 2 GB unless told otherwise', () => {
    expect(parseConfig({}, '/').partialUploadsMaxBytes).toBe(2048 * 1024 * 1024);
    expect(parseConfig({ PARTIAL_UPLOADS_MAX_MB: '100' }, '/').partialUploadsMaxBytes).toBe(100 * 1024 * 1024);
    expect(() => parseConfig({ PARTIAL_UPLOADS_MAX_MB: '0' }, '/')).toThrowError(ConfigError, /PARTIAL_UPLOADS_MAX_MB/);
  });

  it('holds small images in memory for /media on MongoDB only, unless MEDIA_MEMORY_MB says otherwise', () => {
    expect(parseConfig({}, '/').mediaMemoryBytes).toBe(0);
    expect(parseConfig({ MONGODB_URI: 'mongodb://db:27017/?replicaSet=rs0' }, '/').mediaMemoryBytes).toBe(32 * 1024 * 1024);
    expect(parseConfig({ MONGODB_URI: 'mongodb://db:27017/', MEDIA_MEMORY_MB: '0' }, '/').mediaMemoryBytes).toBe(0);
    expect(parseConfig({ MEDIA_MEMORY_MB: '8' }, '/').mediaMemoryBytes).toBe(8 * 1024 * 1024);
    expect(() => parseConfig({ MEDIA_MEMORY_MB: 'lots' }, '/')).toThrowError(ConfigError, /MEDIA_MEMORY_MB/);
  });

  it('reads REDIS_URL, TRUST_PROXY, the per-address share, LOG_LEVEL, the drain deadline and METRICS_TOKEN, refusing nonsense', () => {
    const defaults = parseConfig({}, '/');
    expect([defaults.redisUrl, defaults.trustProxy, defaults.partialUploadsPerAddressBytes, defaults.logLevel, defaults.drainTimeoutMs, defaults.drainNoticeMs, defaults.metricsToken])
      .toEqual([null, [], 512 * 1024 * 1024, 'info', 10_000, 0, null]);
    const set = parseConfig(
      { REDIS_URL: 'redis://:pw@redis:6379/0', TRUST_PROXY: 'uniquelocal, 10.0.0.0/8, ::1', PARTIAL_UPLOADS_PER_ADDRESS_MB: '64', LOG_LEVEL: 'warn', DRAIN_TIMEOUT_SECONDS: '25', DRAIN_NOTICE_SECONDS: '5', METRICS_TOKEN: 'a-token-of-16-chars' },
      '/',
    );
    expect([set.redisUrl, set.trustProxy, set.partialUploadsPerAddressBytes, set.logLevel, set.drainTimeoutMs, set.drainNoticeMs, set.metricsToken])
      .toEqual(['redis://:pw@redis:6379/0', ['uniquelocal', '10.0.0.0/8', '::1'], 64 * 1024 * 1024, 'warn', 25_000, 5_000, 'a-token-of-16-chars']);
    expect(() => parseConfig({ DRAIN_NOTICE_SECONDS: '-1' }, '/')).toThrowError(ConfigError, /DRAIN_NOTICE_SECONDS/);
    expect(() => parseConfig({ REDIS_URL: 'localhost:6379' }, '/')).toThrowError(ConfigError, /REDIS_URL/);
    expect(() => parseConfig({ TRUST_PROXY: 'everyone' }, '/')).toThrowError(ConfigError, /TRUST_PROXY/);
    expect(() => parseConfig({ LOG_LEVEL: 'loud' }, '/')).toThrowError(ConfigError, /LOG_LEVEL/);
    expect(() => parseConfig({ PARTIAL_UPLOADS_PER_ADDRESS_MB: '0' }, '/')).toThrowError(ConfigError, /PARTIAL_UPLOADS_PER_ADDRESS_MB/);
    expect(() => parseConfig({ METRICS_TOKEN: 'short' }, '/')).toThrowError(ConfigError, /METRICS_TOKEN/);
  });
});
