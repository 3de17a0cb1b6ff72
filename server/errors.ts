import { err, type ErrorCode, type Result } from '@photobook/shared';

/** The one server error type. Adapters translate driver errors into it; nothing else leaks upward. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly expectedOffset?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  toResult<T>(): Result<T> {
    return err(this.code, this.message, this.expectedOffset === undefined ? {} : { expectedOffset: this.expectedOffset });
  }
}

/** What a log line says about a failure: its stack, and the underlying cause of a translated error. */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause === undefined ? '' : `\ncaused by: ${describeError(e.cause)}`;
  return `${e.stack ?? e.message}${cause}`;
}

export interface Logger {
  /** Optional so that small hand-written loggers need not carry it; call it as logger.debug?.(...). */
  debug?(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Writes one JSON line per event; specs pass a silent logger. */
export function consoleLogger(): Logger {
  const write = (level: string) => (message: string, fields: Record<string, unknown> = {}) => {
    const line = JSON.stringify({ t: new Date().toISOString(), level, message, ...fields });
    (level === 'error' ? process.stderr : process.stdout).write(line + '\n');
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
