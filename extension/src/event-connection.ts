import type { PublicSettings } from '@photobook/shared';
import { networkError, toClientResult, type ClientResult, type ReplyValue, type RequestName, type RequestPayload } from '../../client/src/app/core/client-result';
import { openExtensionSocket } from '../../client/src/app/core/extension-socket';
import type { RealtimeSocket } from '../../client/src/app/core/guest-socket';
import type { UploadConnection } from '../../client/src/app/upload/core/upload-runner';

/**
 * One connection to the event's server for one send: what the phone's RealtimeService does for the
 * upload page (connect, the latest settings, requests that fail as NETWORK on a timeout or a
 * disconnect), without Angular or rxjs.
 */
export class EventConnection implements UploadConnection {
  private latest: PublicSettings | null = null;
  private readonly onSettings = new Set<(settings: PublicSettings) => void>();
  private readonly onConnect = new Set<() => void>();
  private readonly onDrop = new Set<() => void>();

  constructor(private readonly socket: RealtimeSocket) {
    socket.onConnect(() => [...this.onConnect].forEach((listener) => listener()));
    socket.onDisconnect(() => [...this.onDrop].forEach((listener) => listener()));
    socket.on('settings:changed', (settings) => {
      this.latest = settings;
      [...this.onSettings].forEach((listener) => listener(settings));
    });
  }

  static open(origin: string): EventConnection {
    return new EventConnection(openExtensionSocket(origin));
  }

  /** The event's settings, sent by the server on connect (limits, pause, approval); null if none came in time. */
  settings(timeoutMs: number): Promise<PublicSettings | null> {
    if (this.latest) return Promise.resolve(this.latest);
    return this.waitFor(this.onSettings, (settings) => settings, timeoutMs);
  }

  whenConnected(timeoutMs: number): Promise<boolean> {
    if (this.socket.connected) return Promise.resolve(true);
    return this.waitFor(this.onConnect, () => true, timeoutMs).then((connected) => connected ?? false);
  }

  whenUploadsResume(): Promise<unknown> {
    if (this.latest && !this.latest.paused) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const listener = (settings: PublicSettings) => {
        if (settings.paused) return;
        this.onSettings.delete(listener);
        resolve();
      };
      this.onSettings.add(listener);
    });
  }

  async request<K extends RequestName>(event: K, payload: RequestPayload<K>, timeoutMs: number): Promise<ClientResult<ReplyValue<K>>> {
    if (!(await this.whenConnected(timeoutMs))) return { ok: false, error: networkError('Not connected.') };
    let dropped: (() => void) | undefined;
    try {
      const lost = new Promise<never>((_, reject) => {
        dropped = () => reject(new Error('disconnected'));
        this.onDrop.add(dropped);
      });
      return toClientResult<ReplyValue<K>>(await Promise.race([this.socket.emitWithAck(event, payload, timeoutMs), lost]));
    } catch {
      return { ok: false, error: networkError() };
    } finally {
      if (dropped) this.onDrop.delete(dropped);
    }
  }

  close(): void {
    this.socket.close();
  }

  /** The next call of one of the listener sets, mapped; null after timeoutMs. */
  private waitFor<A extends unknown[], T>(listeners: Set<(...args: A) => void>, map: (...args: A) => T, timeoutMs: number): Promise<T | null> {
    return new Promise((resolve) => {
      const listener = (...args: A) => {
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(map(...args));
      };
      const timer = setTimeout(() => {
        listeners.delete(listener);
        resolve(null);
      }, timeoutMs);
      listeners.add(listener);
    });
  }
}
