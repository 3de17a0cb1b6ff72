import { createAdapter } from '@socket.io/redis-adapter';
import { Redis, type Callback } from 'ioredis';
import { describeError, type Logger } from '../errors';

export type LinkState = 'up' | 'down';

/**
 * The adapter publishes and subscribes without handling the promise ioredis returns, and ioredis
 * rejects commands while Redis is away: unhandled, one such rejection ends the process. These two
 * clients answer those calls themselves and report the failure instead.
 */
class Publisher extends Redis {
  refused: (e: unknown) => void = () => undefined;

  override publish(channel: string | Buffer, message: string | Buffer): Promise<number> {
    return super.publish(channel, message).catch((e: unknown) => (this.refused(e), 0));
  }
}

type Channels = [...channels: (string | Buffer)[], callback: Callback<unknown>] | (string | Buffer)[];
type Unsubscribing = Channels | [callback?: Callback<unknown>];

class Subscriber extends Redis {
  refused: (e: unknown) => void = () => undefined;

  override subscribe(...channels: Channels): Promise<unknown> {
    return (Redis.prototype.subscribe.apply(this, channels as never) as Promise<unknown>).catch((e: unknown) => this.refused(e));
  }

  override psubscribe(...patterns: Channels): Promise<unknown> {
    return (Redis.prototype.psubscribe.apply(this, patterns as never) as Promise<unknown>).catch((e: unknown) => this.refused(e));
  }

  // The adapter's close() unsubscribes without waiting either; a disconnect rejects what is still queued.
  override unsubscribe(...channels: Unsubscribing): Promise<unknown> {
    return (Redis.prototype.unsubscribe.apply(this, channels as never) as Promise<unknown>).catch(() => undefined);
  }

  override punsubscribe(...patterns: Unsubscribing): Promise<unknown> {
    return (Redis.prototype.punsubscribe.apply(this, patterns as never) as Promise<unknown>).catch(() => undefined);
  }
}

/** Reconnect quickly at first, then every 2 s: an outage of seconds heals within seconds. */
const retryStrategy = (attempt: number) => Math.min(100 * attempt, 2_000);
/** From the link's return to telling screens to catch up: time for ioredis to subscribe again. */
const RESUME_DELAY_MS = 1_000;
/** How long close() waits for Redis to acknowledge QUIT. */
const QUIT_WAIT_MS = 1_000;
/** How long the adapter waits for other replicas (counts, fetchSockets) before answering with what it has. */
export const REPLICA_REQUEST_TIMEOUT_MS = 2_000;

/**
 * The replicas' link through Redis: the clients of the Socket.IO adapter, one for shared limits, and
 * the link's state. Going down is logged once, coming back once, and tells `onResumed` listeners, so
 * screens that missed events while it was down catch up. Nothing here ever throws at its caller.
 */
export class RedisLink {
  private readonly pub: Publisher;
  private readonly sub: Subscriber;
  private readonly limits: Redis;
  private current: LinkState = 'down';
  private wasUp = false;
  private loggedDown = false;
  private readonly resumed: Array<() => void> = [];

  constructor(
    url: string,
    private readonly logger: Logger,
  ) {
    const base = { retryStrategy, connectionName: 'photobook' };
    // Publishes while Redis is away are dropped at once (screens catch up from the store), not queued.
    this.pub = new Publisher(url, { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    // Subscriptions wait for the connection and are renewed after every reconnect.
    this.sub = new Subscriber(url, { ...base, enableOfflineQueue: true, maxRetriesPerRequest: null, autoResubscribe: true });
    // rate-limiter-flexible wants commands refused at once while Redis is down, so its in-memory insurance answers.
    this.limits = new Redis(url, { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.pub.refused = this.sub.refused = (e) => this.lost(e);
    for (const client of [this.pub, this.sub, this.limits]) {
      client.on('error', (e: unknown) => this.lost(e));
      client.on('ready', () => this.settle());
      client.on('close', () => this.settle());
    }
  }

  get state(): LinkState {
    return this.current;
  }

  /** The Socket.IO adapter factory for every namespace. */
  adapter(): ReturnType<typeof createAdapter> {
    return createAdapter(this.pub, this.sub, { requestsTimeout: REPLICA_REQUEST_TIMEOUT_MS, key: 'photobook' });
  }

  /** A client for rate-limiter-flexible's Redis store (opaque outside realtime/). */
  get limiterClient(): unknown {
    return this.limits;
  }

  /** Called each time the link comes back after being down (not at the first connect). */
  onResumed(listener: () => void): void {
    this.resumed.push(listener);
  }

  /** Resolves once the link is up, or after `timeoutMs` (the server starts either way). */
  async ready(timeoutMs: number): Promise<LinkState> {
    const deadline = Date.now() + timeoutMs;
    while (this.current !== 'up' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return this.current;
  }

  /** Quits politely while Redis answers; while it is away, drops the connections (a queued QUIT would wait for ever). */
  async close(): Promise<void> {
    this.resumed.length = 0;
    await Promise.all(
      [this.pub, this.sub, this.limits].map(async (client) => {
        if (client.status === 'ready') {
          let timer: NodeJS.Timeout | undefined;
          const late = new Promise((resolve) => (timer = setTimeout(resolve, QUIT_WAIT_MS)));
          await Promise.race([client.quit().catch(() => undefined), late]);
          clearTimeout(timer);
        }
        client.disconnect();
      }),
    );
  }

  private lost(e: unknown): void {
    this.settle();
    if (this.loggedDown) return;
    this.loggedDown = true;
    this.logger.warn('redis link lost: each replica serves only its own screens until it returns', { error: describeError(e) });
  }

  private settle(): void {
    const up = [this.pub, this.sub, this.limits].every((c) => c.status === 'ready');
    const next: LinkState = up ? 'up' : 'down';
    if (next === this.current) return;
    this.current = next;
    if (next === 'down') {
      if (!this.loggedDown && this.wasUp) {
        this.loggedDown = true;
        this.logger.warn('redis link lost: each replica serves only its own screens until it returns');
      }
      return;
    }
    const comingBack = this.wasUp || this.loggedDown;
    this.wasUp = true;
    this.loggedDown = false;
    if (!comingBack) {
      this.logger.info('redis link up');
      return;
    }
    this.logger.info('redis link back: screens catch up from the store');
    // After ioredis has renewed the subscriptions, so nothing published meanwhile slips between.
    setTimeout(() => {
      if (this.current === 'up') for (const listener of this.resumed) listener();
    }, RESUME_DELAY_MS).unref();
  }
}
