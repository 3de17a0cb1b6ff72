import { ErrorCode, isErrorCode, type Ack, type AppErrorPayload, type ClientToServerEvents, type Result } from '@photobook/shared';

/**
 * Failures only the client can observe: no ack arrived (timeout, offline) or the file could not be
 * read from the device. They never come from the server, so they live here, not in shared/.
 */
export const ClientErrorCode = {
  Network: 'NETWORK',
  FileUnreadable: 'FILE_UNREADABLE',
} as const;
export type ClientOnlyErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export type ClientErrorCode = ErrorCode | ClientOnlyErrorCode;

export interface ClientError extends Omit<AppErrorPayload, 'code'> {
  readonly code: ClientErrorCode;
}

/** Like shared Result<T>, but the error may also be a client-side failure. */
export type ClientResult<T> = Result<T, ClientError>;

export type RequestName = keyof ClientToServerEvents;
export type RequestPayload<K extends RequestName> = Parameters<ClientToServerEvents[K]>[0];
export type ReplyValue<K extends RequestName> =
  Parameters<ClientToServerEvents[K]>[1] extends Ack<infer T> ? T : never;

export function networkError(message = 'No answer from the server.'): ClientError {
  return { code: ClientErrorCode.Network, message };
}

/** Trusts an ack's shape only as far as it checks out; anything odd is an INTERNAL error. */
export function toClientResult<T>(reply: unknown): ClientResult<T> {
  if (typeof reply === 'object' && reply !== null && 'ok' in reply) {
    if (reply.ok === true && 'value' in reply) return { ok: true, value: reply.value as T };
    if (reply.ok === false && 'error' in reply && typeof reply.error === 'object' && reply.error !== null) {
      const error = reply.error as { code?: unknown; message?: unknown; expectedOffset?: unknown };
      const code = isErrorCode(error.code) ? error.code : ErrorCode.Internal;
      const message = typeof error.message === 'string' ? error.message : '';
      return typeof error.expectedOffset === 'number'
        ? { ok: false, error: { code, message, expectedOffset: error.expectedOffset } }
        : { ok: false, error: { code, message } };
    }
  }
  return { ok: false, error: { code: ErrorCode.Internal, message: 'The server sent an unexpected reply.' } };
}
