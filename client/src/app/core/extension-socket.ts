import type { ClientToServerEvents, ServerToClientEvents } from '@photobook/shared';
import { Fetch, io, type Socket } from 'socket.io-client';
import { wrapSocket, type RealtimeSocket } from './guest-socket';

/**
 * The browser extension's socket to the event's server (the app itself never loads this file).
 * HTTP long-polling over fetch, with credentials, and no upgrade: measured in Chromium 156, a
 * WebSocket opened by an extension (service worker or page) carries no cookies even with host
 * permission, while its fetch to a host it may access carries the guest cookie, stores the one the
 * handshake sets, and sends no Origin on the handshake's GET (so the server's origin check passes
 * as for the page itself). The photo then belongs to this browser's guest, as on "My photos".
 */
export function openExtensionSocket(origin: string): RealtimeSocket {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(origin, {
    transports: [Fetch],
    upgrade: false,
    withCredentials: true,
  });
  return wrapSocket(socket);
}
