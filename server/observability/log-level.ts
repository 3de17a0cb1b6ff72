/**
 * Log levels, apart from the logger itself so that config parsing can check LOG_LEVEL without
 * importing pino (pino stays in server/observability, STYLE 6). The names are pino's own.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}
