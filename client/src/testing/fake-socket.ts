import { DEFAULT_MAX_UPLOAD_BYTES, type MyPhotoDto, type PhotoDto, type PublicSettings, type WallSettings } from '@photobook/shared';
import type { RequestName } from '../app/core/client-result';
import type { RealtimeSocket, ServerEventName, ServerEventPayload } from '../app/core/realtime.service';

/** Returned by a handler to simulate a server that never acks: the emit times out like socket.io's. */
export const NO_REPLY = Symbol('no reply');

export type FakeHandler = (event: RequestName, payload: any) => unknown | Promise<unknown>;

export interface SentRequest {
  readonly event: RequestName;
  readonly payload: any;
  readonly timeoutMs: number;
}

/** Settings a spec sets; the rest keep the server's defaults. */
export type SettingsOverrides = Partial<Omit<PublicSettings, 'wall'>> & { readonly wall?: Partial<WallSettings> };

/** An in-memory stand-in for a socket.io client socket; the test plays the server. */
export class FakeSocket implements RealtimeSocket {
  connected = false;
  closed = false;
  readonly sent: SentRequest[] = [];
  handler: FakeHandler = () => NO_REPLY;

  private readonly connectListeners: Array<() => void> = [];
  private readonly disconnectListeners: Array<() => void> = [];
  private readonly listeners = new Map<ServerEventName, Array<(payload: never) => void>>();

  onConnect(listener: () => void): void {
    this.connectListeners.push(listener);
  }

  onDisconnect(listener: () => void): void {
    this.disconnectListeners.push(listener);
  }

  on<K extends ServerEventName>(event: K, listener: (payload: ServerEventPayload<K>) => void): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
  }

  /** Plays the server stating a fact to this socket. */
  serverEmit<K extends ServerEventName>(event: K, payload: ServerEventPayload<K>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (p: ServerEventPayload<K>) => void)(payload);
  }

  /** Plays the server sending its settings: the defaults with these fields changed (the wall's too, in part). */
  serverSettings(settings: SettingsOverrides = {}): void {
    const { wall, ...rest } = settings;
    const full: PublicSettings = {
      paused: false,
      pauseMessage: '',
      downscaleAboveBytes: null,
      downscaleMaxEdge: 4096,
      maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
      title: '',
      approvalRequired: false,
      shareLinks: true,
      guestDownloads: true,
      ...rest,
      wall: { layout: 'slideshow', slideSeconds: 8, showCaptions: true, showTitle: true, showQr: true, showCount: true, ...wall },
    };
    this.serverEmit('settings:changed', full);
  }

  async emitWithAck(event: RequestName, payload: unknown, timeoutMs: number): Promise<unknown> {
    this.sent.push({ event, payload, timeoutMs });
    const reply = await this.handler(event, payload);
    if (reply !== NO_REPLY) return reply;
    await new Promise((resolve) => setTimeout(resolve, timeoutMs));
    throw new Error('operation has timed out');
  }

  close(): void {
    this.closed = true;
  }

  serverConnect(): void {
    this.connected = true;
    for (const listener of this.connectListeners) listener();
  }

  serverDisconnect(): void {
    this.connected = false;
    for (const listener of this.disconnectListeners) listener();
  }

  serverAddPhoto(photo: PhotoDto): void {
    this.serverEmit('photo:added', photo);
  }

  requests(event: RequestName): any[] {
    return this.sent.filter((s) => s.event === event).map((s) => s.payload);
  }
}

export function photo(seq: number, overrides: Partial<PhotoDto> = {}): PhotoDto {
  return {
    id: `photo${seq}xx`,
    seq,
    caption: `Caption ${seq}`,
    author: `Guest ${seq}`,
    createdAt: 1_700_000_000_000 + seq,
    width: 1600,
    height: 1200,
    displayUrl: `/media/display-${seq}.webp`,
    thumbUrl: `/media/thumb-${seq}.webp`,
    guest: seq,
    ...overrides,
  };
}

export function myPhoto(seq: number, overrides: Partial<MyPhotoDto> = {}): MyPhotoDto {
  return { ...photo(seq), state: 'visible', fullCopy: true, ...overrides };
}

/** Lets promise chains (acks, awaits in services) run before assertions. */
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Wraps a handler so each `event` request waits `delayMs` before its reply, and records the most
 * such requests that were waiting at once (how many the client kept in flight).
 */
export function slowedHandler(handler: FakeHandler, event: RequestName, delayMs: number): { handler: FakeHandler; maxInFlight(): number } {
  let inFlight = 0;
  let max = 0;
  return {
    handler: async (name, payload) => {
      if (name !== event) return handler(name, payload);
      max = Math.max(max, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      inFlight--;
      return handler(name, payload);
    },
    maxInFlight: () => max,
  };
}

/**
 * Wraps a handler so `event` requests get no reply until `size` of them are waiting, or the
 * `total`-th (the last one the spec expects) has come; then all waiting ones are answered, in the
 * order they came. Unlike a fixed delay, this does not race the client's own work (file reads)
 * between requests, so how many the client keeps in flight shows whatever the machine's load.
 * If the client never has `size` waiting, they are answered after `giveUpMs` and the holding stops,
 * so a too-small window fails on maxInFlight() instead of hanging.
 */
export function heldHandler(
  handler: FakeHandler,
  event: RequestName,
  size: number,
  total: number,
  giveUpMs = 2_000,
): { handler: FakeHandler; maxInFlight(): number } {
  let waiting: Array<() => void> = [];
  let arrived = 0;
  let max = 0;
  let holding = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const release = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = [];
    for (const answer of batch) answer();
  };
  return {
    handler: (name, payload) => {
      if (name !== event) return handler(name, payload);
      if (!holding) return handler(name, payload);
      arrived++;
      const reply = new Promise<void>((resolve) => waiting.push(resolve)).then(() => handler(name, payload));
      max = Math.max(max, waiting.length);
      if (waiting.length >= size || arrived >= total) release();
      else
        timer ??= setTimeout(() => {
          holding = false;
          release();
        }, giveUpMs);
      return reply;
    },
    maxInFlight: () => max,
  };
}
