import { Writable } from 'node:stream';
import { pinoLogger, REDACTED, SECRET_FIELDS } from '../../server/observability/logger';
import { isLogLevel, LOG_LEVELS, type LogLevel } from '../../server/observability/log-level';

/** A destination that keeps what is written, one entry per write call. */
function memory(): { stream: Writable; lines: () => string[] } {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, lines: () => writes.join('').split('\n').filter((l) => l !== '') };
}

const parsed = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('pino logger', () => {
  it('writes one JSON line per call with an ISO time, the level as a label, the message and the fields', () => {
    const out = memory();
    const logger = pinoLogger({ level: 'info', destination: out.stream });
    logger.info('admin signed in', { ip: '192.0.2.1' });
    logger.warn('storage full');
    logger.error('upload failed', { error: 'boom', attempts: 2 });
    const lines = out.lines();
    expect(lines.length).toBe(3);
    const [info, warn, error] = parsed(lines);
    expect(info).toEqual({ level: 'info', time: jasmine.any(String), msg: 'admin signed in', ip: '192.0.2.1' });
    expect(new Date(info!['time'] as string).toISOString()).toBe(info!['time'] as string);
    expect(warn).toEqual({ level: 'warn', time: jasmine.any(String), msg: 'storage full' });
    expect(error).toEqual({ level: 'error', time: jasmine.any(String), msg: 'upload failed', error: 'boom', attempts: 2 });
  });

  it('honours the level: debug is hidden at info and shown at debug', () => {
    const quiet = memory();
    pinoLogger({ level: 'info', destination: quiet.stream }).debug('noise');
    expect(quiet.lines()).toEqual([]);

    const chatty = memory();
    pinoLogger({ level: 'debug', destination: chatty.stream }).debug('detail', { n: 1 });
    expect(parsed(chatty.lines())).toEqual([{ level: 'debug', time: jasmine.any(String), msg: 'detail', n: 1 }]);

    const errorsOnly = memory();
    const logger = pinoLogger({ level: 'error', destination: errorsOnly.stream });
    logger.info('hidden');
    logger.warn('hidden');
    logger.error('shown');
    expect(parsed(errorsOnly.lines()).map((l) => l['msg'])).toEqual(['shown']);

    const silent = memory();
    pinoLogger({ level: 'silent', destination: silent.stream }).error('nothing');
    expect(silent.lines()).toEqual([]);
  });

  it('redacts identity and secret fields at the top level and one level down', () => {
    const out = memory();
    const logger = pinoLogger({ level: 'info', destination: out.stream });
    const secrets = Object.fromEntries(SECRET_FIELDS.map((name) => [name, `value-of-${name}`]));
    logger.info('careless', { ...secrets, photoId: 'p1', request: { ...secrets, path: '/x' } });
    const [line] = parsed(out.lines());
    const request = line!['request'] as Record<string, unknown>;
    for (const name of SECRET_FIELDS) {
      expect(line![name]).withContext(name).toBe(REDACTED);
      expect(request[name]).withContext(`request.${name}`).toBe(REDACTED);
    }
    expect(line!['photoId']).toBe('p1');
    expect(request['path']).toBe('/x');
    expect(out.lines()[0]).not.toContain('value-of-');
  });

  it('leaves the caller’s fields object untouched by the redaction', () => {
    const out = memory();
    const fields = { ownerId: 'o1', nested: { cookie: 'c' } };
    pinoLogger({ level: 'info', destination: out.stream }).info('x', fields);
    expect(fields).toEqual({ ownerId: 'o1', nested: { cookie: 'c' } });
  });

  it('knows the level names config parsing accepts, without importing pino there', () => {
    expect(LOG_LEVELS).toContain('info');
    expect(isLogLevel('debug')).toBeTrue();
    expect(isLogLevel('verbose')).toBeFalse();
    for (const level of LOG_LEVELS) {
      expect(() => pinoLogger({ level: level satisfies LogLevel, destination: memory().stream })).not.toThrow();
    }
  });
});
