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
});
