import type { ClientToServerEvents, ServerToClientEvents } from '@photobook/shared';
import type { Socket } from 'socket.io-client';
import type { RequestName, RequestPayload } from './client-result';

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<K extends ServerEventName> = Parameters<ServerToClientEvents[K]>[0];

/** The few socket features a guest's page (or the browser extension) uses; small enough for specs to fake. */
export interface RealtimeSocket {
  readonly connected: boolean;
  onConnect(listener: () => void): void;
  onDisconnect(listener: () => void): void;
  /** A fact the server states (photo:added, mine:updated, settings:changed, ...). */
  on<K extends ServerEventName>(event: K, listener: (payload: ServerEventPayload<K>) => void): void;
  /** Rejects when no ack arrives within timeoutMs. */
  emitWithAck<K extends RequestName>(event: K, payload: RequestPayload<K>, timeoutMs: number): Promise<unknown>;
  close(): void;
}

/** The RealtimeSocket face of a socket.io-client socket (this folder is the only one that imports the library). */
export function wrapSocket(socket: Socket<ServerToClientEvents, ClientToServerEvents>): RealtimeSocket {
  return {
    get connected() {
      return socket.connected;
    },
    onConnect: (listener) => void socket.on('connect', listener),
    onDisconnect: (listener) => void socket.on('disconnect', () => listener()),
    // As with emitWithAck, the typed overloads cannot follow a generic event name.
    on: (event, listener) => void (socket.on as (e: string, l: (payload: never) => void) => unknown)(event, listener),
    emitWithAck: (event, payload, timeoutMs) =>
      // The typed overloads cannot follow a generic event name; the reply is validated by the caller.
      (socket.timeout(timeoutMs).emitWithAck as (e: string, p: unknown) => Promise<unknown>)(event, payload),
    close: () => void socket.close(),
  };
}
