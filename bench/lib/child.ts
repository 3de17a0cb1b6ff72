/** For bench children: messages to the parent process. */
import type { Message } from './processes';

/** Resolves once the message is handed to the IPC channel, so disconnecting after it loses nothing. */
export const sendToParent = (message: Message): Promise<void> =>
  new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

/** Reports a failure to the parent (nextMessage rejects on it). */
export const reportError = (e: unknown): Promise<void> =>
  sendToParent({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
