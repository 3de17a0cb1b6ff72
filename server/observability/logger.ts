import pino from 'pino';
import type { Logger } from '../errors';
import { LOG_LEVELS, type LogLevel } from './log-level';

/**
 * Field names that carry an identity or a secret. Callers should not log them at all; redacting them
 * here is insurance for the day one slips into a log call, at the top level or one object down.
 */
export const SECRET_FIELDS = [
  'ownerId', 'ownerKey', 'browserKey', 'uid', 'guestId', 'code', 'recoveryCode',
  'password', 'cookie', 'authorization', 'secret',
] as const;

export const REDACTED = '[redacted]';

// A level pino does not know would fail at runtime; this line fails to compile instead.
LOG_LEVELS satisfies readonly pino.LevelWithSilent[];

export interface PinoLoggerOptions {
  readonly level: LogLevel;
  /** Where lines go. Left out: stdout, written synchronously. Specs pass a memory stream. */
  readonly destination?: NodeJS.WritableStream | pino.DestinationStream;
}

/** One JSON line per call: {"level":"info","time":"<ISO>",...fields,"msg":"..."}. */
export function pinoLogger(options: PinoLoggerOptions): Required<Logger> {
  const log = pino(
    {
      level: options.level,
      // No pid or hostname: the container runtime labels each replica's output already.
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRET_FIELDS.flatMap((name) => [name, `*.${name}`]), censor: REDACTED },
    },
    // Synchronous, so the last lines before a process.exit (a failed start, a fatal error) reach
    // stdout; at our volume of log lines the blocking write costs nothing worth buffering for.
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  const at = (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (fields === undefined) log[level](message);
      else log[level](fields, message);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
