import type { Ack, AppErrorPayload, ClientToServerEvents, ErrorCode, Result } from '@photobook/shared';

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
