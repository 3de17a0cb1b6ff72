import { DestroyRef, Injectable, InjectionToken, inject, signal } from '@angular/core';
import {
  ADMIN_NAMESPACE,
  type Ack,
  type AdminClientToServerEvents,
  type AdminServerToClientEvents,
  type AdminStateDto,
  type BookStatusDto,
} from '@photobook/shared';
import { Observable, Subject, firstValueFrom, map, race, timer, type Subscription } from 'rxjs';
import { io, type Socket } from 'socket.io-client';
import { networkError, toClientResult, type ClientResult } from './client-result';

export type AdminRequestName = keyof AdminClientToServerEvents;
export type AdminRequestPayload<K extends AdminRequestName> = Parameters<AdminClientToServerEvents[K]>[0];
export type AdminReplyValue<K extends AdminRequestName> =
  Parameters<AdminClientToServerEvents[K]>[1] extends Ack<infer T> ? T : never;
export type AdminEventName = keyof AdminServerToClientEvents;
export type AdminEventPayload<K extends AdminEventName> = Parameters<AdminServerToClientEvents[K]>[0];

/** The few socket features the console uses; small enough for specs to fake. */
export interface AdminSocket {
  readonly connected: boolean;
  onConnect(listener: () => void): void;
  /** With socket.io's reason: 'io server disconnect' means the server ended this session. */
  onDisconnect(listener: (reason: string) => void): void;
  /** The handshake was refused; 'unauthorized' means no live admin session. */
  onConnectError(listener: (message: string) => void): void;
  on<K extends AdminEventName>(event: K, listener: (payload: AdminEventPayload<K>) => void): void;
  /** Rejects when no ack arrives within timeoutMs. */
  emitWithAck<K extends AdminRequestName>(event: K, payload: AdminRequestPayload<K>, timeoutMs: number): Promise<unknown>;
  close(): void;
}

export type AdminSocketFactory = () => AdminSocket;

/** Same origin; the admin session cookie rides along with the handshake. */
function socketIoFactory(): AdminSocket {
  const socket: Socket<AdminServerToClientEvents, AdminClientToServerEvents> = io(ADMIN_NAMESPACE);
  return {
    get connected() {
      return socket.connected;
    },
    onConnect: (listener) => void socket.on('connect', listener),
    onDisconnect: (listener) => void socket.on('disconnect', (reason) => listener(reason)),
    onConnectError: (listener) => void socket.on('connect_error', (error) => listener(error.message)),
    // The typed overloads cannot follow a generic event name; replies are checked by the caller.
    on: (event, listener) => void (socket.on as (e: string, l: (payload: never) => void) => unknown)(event, listener),
    emitWithAck: (event, payload, timeoutMs) =>
      (socket.timeout(timeoutMs).emitWithAck as (e: string, p: unknown) => Promise<unknown>)(event, payload),
    close: () => void socket.close(),
  };
}

export const ADMIN_SOCKET_FACTORY = new InjectionToken<AdminSocketFactory>('ADMIN_SOCKET_FACTORY', {
  providedIn: 'root',
  factory: () => socketIoFactory,
});

export const ADMIN_REQUEST_TIMEOUT_MS = 15_000;

/** Why the console lost its session: the handshake was refused, or the server closed the socket. */
export type AdminSocketEnd = 'unauthorized' | 'server-disconnect';

/**
 * The console's connection to the admin namespace. Opened only after sign-in (its handshake needs
 * the session cookie) and closed at sign-out; requests never reject.
 */
@Injectable({ providedIn: 'root' })
export class AdminSocketService {
  private readonly factory = inject(ADMIN_SOCKET_FACTORY);
  private socket: AdminSocket | null = null;
  private readonly connectedState = signal(false);
  private readonly connectSubject = new Subject<void>();
  private readonly disconnectSubject = new Subject<void>();
  private readonly endSubject = new Subject<AdminSocketEnd>();
  private readonly photosChangedSubject = new Subject<AdminEventPayload<'photos:changed'>>();
  private readonly stateChangedSubject = new Subject<AdminStateDto>();
  private readonly bookChangedSubject = new Subject<BookStatusDto>();

  readonly connected = this.connectedState.asReadonly();
  /** Every (re)connect; at subscription too if already connected. A reconnect must catch up. */
  readonly connects$: Observable<void> = new Observable<void>((subscriber) => {
    const subscription = this.connectSubject.subscribe(subscriber);
    if (this.socket?.connected) subscriber.next();
    return subscription;
  });
  /** The session is over for the server: the console goes back to sign-in (the socket is closed). */
  readonly ended$: Observable<AdminSocketEnd> = this.endSubject.asObservable();
  readonly photosChanged$ = this.photosChangedSubject.asObservable();
  readonly stateChanged$ = this.stateChangedSubject.asObservable();
  /** A photo book was queued, made progress, became ready or failed (made on any server). */
  readonly bookChanged$ = this.bookChangedSubject.asObservable();

  constructor() {
    inject(DestroyRef).onDestroy(() => this.close());
  }

  get isOpen(): boolean {
    return this.socket !== null;
  }

  /** Connects (once); call after a successful sign-in. */
  open(): void {
    if (this.socket) return;
    const socket = this.factory();
    this.socket = socket;
    socket.onConnect(() => {
      if (this.socket !== socket) return;
      this.connectedState.set(true);
      this.connectSubject.next();
    });
    socket.onDisconnect((reason) => {
      if (this.socket !== socket) return;
      this.connectedState.set(false);
      this.disconnectSubject.next();
      // Any other reason (network, server restart) reconnects by itself.
      if (reason === 'io server disconnect') this.end('server-disconnect');
    });
    socket.onConnectError((message) => {
      if (this.socket === socket && message === 'unauthorized') this.end('unauthorized');
    });
    socket.on('photos:changed', (fact) => this.photosChangedSubject.next(fact));
    socket.on('state:changed', (state) => this.stateChangedSubject.next(state));
    socket.on('book:changed', (status) => this.bookChangedSubject.next(status));
    this.connectedState.set(socket.connected);
  }

  /** Disconnects for good (sign-out, session over, console left). */
  close(): void {
    const socket = this.socket;
    this.socket = null;
    this.connectedState.set(false);
    if (socket) {
      this.disconnectSubject.next();
      socket.close();
    }
  }

  /**
   * Sends a request and resolves with its Result; never rejects. Waits up to timeoutMs for a
   * connection first; no ack in time, or a disconnect before it, is a NETWORK error.
   */
  async request<K extends AdminRequestName>(
    event: K,
    payload: AdminRequestPayload<K>,
    timeoutMs = ADMIN_REQUEST_TIMEOUT_MS,
  ): Promise<ClientResult<AdminReplyValue<K>>> {
    const socket = this.socket;
    if (!socket) return { ok: false, error: networkError('Not signed in.') };
    if (!socket.connected && !(await this.whenConnected(timeoutMs))) {
      return { ok: false, error: networkError('Not connected.') };
    }
    let subscription: Subscription | undefined;
    try {
      const dropped = new Promise<never>((_, reject) => {
        subscription = this.disconnectSubject.subscribe(() => reject(new Error('disconnected')));
      });
      const reply = await Promise.race([socket.emitWithAck(event, payload, timeoutMs), dropped]);
      return toClientResult<AdminReplyValue<K>>(reply);
    } catch {
      return { ok: false, error: networkError() };
    } finally {
      subscription?.unsubscribe();
    }
  }

  private whenConnected(timeoutMs: number): Promise<boolean> {
    return firstValueFrom(
      race(
        this.connectSubject.pipe(map(() => true)),
        // close() (sign-out, session over) stops the wait at once.
        this.disconnectSubject.pipe(map(() => false)),
        timer(timeoutMs).pipe(map(() => false)),
      ),
    );
  }

  private end(reason: AdminSocketEnd): void {
    this.close();
    this.endSubject.next(reason);
  }
}
