import { DestroyRef, Injectable, InjectionToken, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  type ClientToServerEvents,
  type MyPhotoDto,
  type PhotoDto,
  type PhotoRemovedDto,
  type PublicSettings,
  type ServerToClientEvents,
} from '@photobook/shared';
import { Observable, ReplaySubject, Subject, firstValueFrom, map, race, timer, type Subscription } from 'rxjs';
import { io, type Socket } from 'socket.io-client';
import {
  networkError,
  type ClientResult,
  type ReplyValue,
  type RequestName,
  type RequestPayload,
  toClientResult,
} from './client-result';
import { wrapSocket, type RealtimeSocket, type ServerEventPayload } from './guest-socket';

export type { RealtimeSocket, ServerEventName, ServerEventPayload } from './guest-socket';

export type RealtimeSocketFactory = () => RealtimeSocket;

/** Same origin, default path and transports: the server serves the app and the socket together. */
function socketIoFactory(): RealtimeSocket {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io();
  return wrapSocket(socket);
}

export const REALTIME_SOCKET_FACTORY = new InjectionToken<RealtimeSocketFactory>('REALTIME_SOCKET_FACTORY', {
  providedIn: 'root',
  factory: () => socketIoFactory,
});

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

const RELAYED_EVENTS = ['photo:added', 'photo:updated', 'photo:removed', 'mine:updated', 'mine:removed', 'feed:resumed'] as const;
type RelayedEvent = (typeof RELAYED_EVENTS)[number];

/** The app's single connection to the server. The socket is only opened when first needed. */
@Injectable({ providedIn: 'root' })
export class RealtimeService {
  private readonly factory = inject(REALTIME_SOCKET_FACTORY);
  private socket: RealtimeSocket | null = null;
  private readonly connectedState = signal(false);
  private readonly settingsSubject = new ReplaySubject<PublicSettings>(1);
  /** Facts relayed as they come; settings are replayed instead (a page needs the latest at once). */
  private readonly relays: { readonly [K in RelayedEvent]: Subject<ServerEventPayload<K>> } = {
    'photo:added': new Subject<PhotoDto>(),
    'photo:updated': new Subject<PhotoDto>(),
    'photo:removed': new Subject<PhotoRemovedDto>(),
    'mine:updated': new Subject<MyPhotoDto>(),
    'mine:removed': new Subject<PhotoRemovedDto>(),
    'feed:resumed': new Subject<undefined>(),
  };
  private readonly connectSubject = new Subject<void>();
  private readonly disconnectSubject = new Subject<void>();

  readonly connected = this.connectedState.asReadonly();
  /** The event's settings (title, pause, upload limits, the wall's show); null until the server first sends them. */
  readonly settings = toSignal(this.settingsSubject, { initialValue: null });

  /** Live photos; only arrives after a successful 'wall:join' on the current connection. */
  readonly photoAdded$: Observable<PhotoDto> = this.lazy(this.relays['photo:added']);
  /** To walls: a photo's caption or name changed, or it came (back) onto the wall. */
  readonly photoUpdated$: Observable<PhotoDto> = this.lazy(this.relays['photo:updated']);
  /** To walls: a photo left the wall (deleted, hidden, no longer approved). */
  readonly photoRemoved$: Observable<PhotoRemovedDto> = this.lazy(this.relays['photo:removed']);
  /**
   * The guest's own photos, added or changed (also from their other tabs); only arrives after a
   * successful 'mine:list' on the current connection.
   */
  readonly mineUpdated$: Observable<MyPhotoDto> = this.lazy(this.relays['mine:updated']);
  /** One of the guest's own photos was deleted (here, in another tab, or by the host). */
  readonly mineRemoved$: Observable<PhotoRemovedDto> = this.lazy(this.relays['mine:removed']);
  /**
   * The link between server replicas came back after a gap: live events may have been missed on this
   * connection, which itself never dropped. Walls catch up, "My photos" lists again.
   */
  readonly feedResumed$: Observable<void> = this.lazy(this.relays['feed:resumed']);

  /**
   * Fires once per connection: at subscription if already connected, then on every (re)connect.
   * Room membership does not survive a reconnect, so this is where a wall (re)joins.
   */
  readonly connects$: Observable<void> = new Observable<void>((subscriber) => {
    const socket = this.ensureSocket();
    const subscription = this.connectSubject.subscribe(subscriber);
    if (socket.connected) subscriber.next();
    return subscription;
  });

  readonly disconnects$: Observable<void> = this.lazy(this.disconnectSubject);

  /** The latest settings, then every change the host makes. */
  readonly settings$: Observable<PublicSettings> = this.lazy(this.settingsSubject);

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.socket?.close();
      this.socket = null;
    });
  }

  /** Opens the connection now (a page that needs settings before its first request). */
  connect(): void {
    this.ensureSocket();
  }

  /**
   * Sends a request and resolves with its Result; never rejects. Waits up to timeoutMs for a
   * connection first. No ack in time, or a disconnect before the ack, is a NETWORK error at once:
   * the caller resumes from the server's state instead of trusting a reply that may never come.
   */
  async request<K extends RequestName>(
    event: K,
    payload: RequestPayload<K>,
    timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  ): Promise<ClientResult<ReplyValue<K>>> {
    const socket = this.ensureSocket();
    if (!socket.connected && !(await this.whenConnected(timeoutMs))) {
      return { ok: false, error: networkError('Not connected.') };
    }
    let reply: unknown;
    let subscription: Subscription | undefined;
    try {
      const dropped = new Promise<never>((_, reject) => {
        subscription = this.disconnectSubject.subscribe(() => reject(new Error('disconnected')));
      });
      reply = await Promise.race([socket.emitWithAck(event, payload, timeoutMs), dropped]);
    } catch {
      return { ok: false, error: networkError() };
    } finally {
      subscription?.unsubscribe();
    }
    return toClientResult<ReplyValue<K>>(reply);
  }

  /** Resolves true once connected, or false after timeoutMs. */
  whenConnected(timeoutMs: number): Promise<boolean> {
    const socket = this.ensureSocket();
    if (socket.connected) return Promise.resolve(true);
    return firstValueFrom(
      race(this.connectSubject.pipe(map(() => true)), timer(timeoutMs).pipe(map(() => false))),
    );
  }

  private ensureSocket(): RealtimeSocket {
    if (this.socket) return this.socket;
    const socket = this.factory();
    this.socket = socket;
    socket.onConnect(() => {
      this.connectedState.set(true);
      this.connectSubject.next();
    });
    socket.onDisconnect(() => {
      this.connectedState.set(false);
      this.disconnectSubject.next();
    });
    for (const event of RELAYED_EVENTS) this.relay(socket, event);
    socket.on('settings:changed', (settings) => this.settingsSubject.next(settings));
    this.connectedState.set(socket.connected);
    return socket;
  }

  private relay<K extends RelayedEvent>(socket: RealtimeSocket, event: K): void {
    const subject: Subject<ServerEventPayload<K>> = this.relays[event];
    socket.on(event, (payload) => subject.next(payload));
  }

  /** Subscribing opens the socket, so a page only has to listen to get connected. */
  private lazy<T>(subject: Subject<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      this.ensureSocket();
      return subject.subscribe(subscriber);
    });
  }
}
