import type { AdminPhotoDto } from '@photobook/shared';
import type {
  AdminEventName,
  AdminEventPayload,
  AdminRequestName,
  AdminSocket,
} from '../../core/admin-socket.service';

/** Returned by a handler to play a server that never acks: the emit times out like socket.io's. */
export const NO_REPLY = Symbol('no reply');

export type FakeAdminHandler = (event: AdminRequestName, payload: any) => unknown | Promise<unknown>;

export interface SentAdminRequest {
  readonly event: AdminRequestName;
  readonly payload: any;
  readonly timeoutMs: number;
}

/** An in-memory stand-in for the admin namespace's client socket; the spec plays the server. */
export class FakeAdminSocket implements AdminSocket {
  connected = false;
  closed = false;
  readonly sent: SentAdminRequest[] = [];
  handler: FakeAdminHandler = () => NO_REPLY;

  private readonly connectListeners: Array<() => void> = [];
  private readonly disconnectListeners: Array<(reason: string) => void> = [];
  private readonly connectErrorListeners: Array<(message: string) => void> = [];
  private readonly listeners = new Map<AdminEventName, Array<(payload: never) => void>>();

  onConnect(listener: () => void): void {
    this.connectListeners.push(listener);
  }

  onDisconnect(listener: (reason: string) => void): void {
    this.disconnectListeners.push(listener);
  }

  onConnectError(listener: (message: string) => void): void {
    this.connectErrorListeners.push(listener);
  }

  on<K extends AdminEventName>(event: K, listener: (payload: AdminEventPayload<K>) => void): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as (payload: never) => void);
    this.listeners.set(event, list);
  }

  serverEmit<K extends AdminEventName>(event: K, payload: AdminEventPayload<K>): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (p: AdminEventPayload<K>) => void)(payload);
  }

  async emitWithAck(event: AdminRequestName, payload: unknown, timeoutMs: number): Promise<unknown> {
    this.sent.push({ event, payload, timeoutMs });
    const reply = await this.handler(event, payload);
    if (reply !== NO_REPLY) return reply;
    await new Promise((resolve) => setTimeout(resolve, timeoutMs));
    throw new Error('operation has timed out');
  }

  close(): void {
    this.closed = true;
    this.connected = false;
  }

  serverConnect(): void {
    this.connected = true;
    for (const listener of this.connectListeners) listener();
  }

  serverDisconnect(reason = 'transport close'): void {
    this.connected = false;
    for (const listener of this.disconnectListeners) listener(reason);
  }

  refuseHandshake(message = 'unauthorized'): void {
    for (const listener of this.connectErrorListeners) listener(message);
  }

  requests(event: AdminRequestName): any[] {
    return this.sent.filter((s) => s.event === event).map((s) => s.payload);
  }
}

export function adminPhoto(seq: number, overrides: Partial<AdminPhotoDto> = {}): AdminPhotoDto {
  return {
    id: `photo${seq}xx`,
    seq,
    caption: `Caption ${seq}`,
    author: `Author ${seq}`,
    createdAt: 1_700_000_000_000 + seq * 1000,
    width: 1600,
    height: 1200,
    displayUrl: `/api/admin/media/display-${seq}.webp`,
    thumbUrl: `/api/admin/media/thumb-${seq}.webp`,
    state: 'visible',
    fullCopy: true,
    guest: 1,
    guestBlocked: false,
    ...overrides,
  };
}

/** Lets promise chains (acks, awaits in services) run before assertions. */
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
