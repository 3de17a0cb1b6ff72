/**
 * A TCP proxy that gives each connection a slow uplink, like a phone on party Wi-Fi: its
 * client-to-server bytes pass a token bucket of its own (e.g. 2 Mbit/s) and one bucket that all
 * connections share (e.g. 20 Mbit/s: the access point's uplink). Server-to-client bytes are piped
 * through unthrottled: a guest receives only acks and settings (tens of bytes per chunk), so its
 * downlink never shapes an upload, and throttling it would only add a second thing to tune.
 *
 * Cheap by design: one timer for the whole proxy, ticking every few milliseconds and only while some
 * connection has bytes waiting; each tick refills the buckets from the time that really passed (a late
 * tick on a backlogged link sends more, so event-loop stalls do not slow it), shares the shared bucket out round-robin
 * in MTU-sized quanta, and makes one write per connection. A connection holding more than HIGH_WATER
 * bytes stops being read, so the rest waits in the kernel's socket buffers like on a real link.
 * Rates count TCP payload bytes (Mbit = 10^6 bits); a real link also carries IP and TCP headers
 * (about 4 % at a 1,500-byte MTU), so this link is that much kinder than a real one.
 */
import net from 'node:net';

export interface ThrottleOptions {
  /** The server's port on 127.0.0.1. */
  readonly targetPort: number;
  /** Each connection's uplink, in bits per second. */
  readonly perConnectionBps: number;
  /** All connections' uplinks together, in bits per second. */
  readonly sharedBps: number;
}

const TICK_MS = 4;
/** Tokens an idle bucket may save up: a burst of this many milliseconds at its rate. */
const BURST_MS = 20;
/**
 * The longest late tick a backlogged bucket catches up in full. A real link keeps sending while this
 * process waits for a CPU (the bytes are queued here or in the kernel), so a stall must not slow it.
 */
const CATCH_UP_MS = 1000;
/** Bytes handed out at a time when connections compete for the shared bucket. */
const QUANTUM = 1460;
const HIGH_WATER = 64 * 1024;

class TokenBucket {
  private tokens: number;
  private last = performance.now();
  private readonly capacity: number;

  constructor(private readonly bytesPerMs: number) {
    this.capacity = bytesPerMs * BURST_MS;
    this.tokens = this.capacity;
  }

  /**
   * `backlogged`: bytes were waiting all along since the last tick, so the link was never idle and
   * may have what the whole interval earned; an idle one saves up a short burst only.
   */
  refill(now: number, backlogged: boolean): void {
    const elapsed = now - this.last;
    const cap = backlogged ? Math.max(this.capacity, Math.min(elapsed, CATCH_UP_MS) * this.bytesPerMs) : this.capacity;
    this.tokens = Math.min(cap, this.tokens + elapsed * this.bytesPerMs);
    this.last = now;
  }

  available(): number {
    return Math.floor(this.tokens);
  }

  take(bytes: number): void {
    this.tokens -= bytes;
  }
}

/** One guest's connection: the bytes it sent that the link has not carried yet. */
class Link {
  readonly bucket: TokenBucket;
  private readonly queue: Buffer[] = [];
  queued = 0;
  /** Bytes were left waiting after the last tick. */
  backlogged = false;
  private ended = false;

  constructor(
    readonly client: net.Socket,
    readonly upstream: net.Socket,
    bytesPerMs: number,
    private readonly wake: () => void,
  ) {
    this.bucket = new TokenBucket(bytesPerMs);
    client.on('data', (data: Buffer) => {
      this.queue.push(data);
      this.queued += data.length;
      if (this.queued > HIGH_WATER) client.pause();
      wake();
    });
    client.on('end', () => {
      this.ended = true;
      this.finishIfDone();
    });
  }

  /** Writes `bytes` from the front of the queue to the server. */
  carry(bytes: number): void {
    const parts: Buffer[] = [];
    let left = bytes;
    while (left > 0) {
      const head = this.queue[0]!;
      if (head.length <= left) {
        parts.push(head);
        this.queue.shift();
        left -= head.length;
      } else {
        parts.push(head.subarray(0, left));
        this.queue[0] = head.subarray(left);
        left = 0;
      }
    }
    this.queued -= bytes;
    this.upstream.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    if (this.queued <= HIGH_WATER / 2 && this.client.isPaused()) this.client.resume();
    this.finishIfDone();
  }

  private finishIfDone(): void {
    if (this.ended && this.queued === 0) this.upstream.end();
  }
}

export class ThrottleProxy {
  private readonly server: net.Server;
  private readonly links = new Set<Link>();
  private readonly shared: TokenBucket;
  private timer: NodeJS.Timeout | null = null;
  private turn = 0;
  private backlogged = false;

  private constructor(private readonly options: ThrottleOptions) {
    this.shared = new TokenBucket(options.sharedBps / 8 / 1000);
    // Half-open: a client's FIN must wait until the link has carried its queued bytes.
    this.server = net.createServer({ allowHalfOpen: true }, (client) => this.accept(client));
  }

  /** Listens on an ephemeral port of 127.0.0.1. */
  static async start(options: ThrottleOptions): Promise<ThrottleProxy> {
    const proxy = new ThrottleProxy(options);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The URL to give a client instead of the server's. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  private accept(client: net.Socket): void {
    client.setNoDelay(true);
    const upstream = net.connect({ host: '127.0.0.1', port: this.options.targetPort });
    upstream.setNoDelay(true);
    const link = new Link(client, upstream, this.options.perConnectionBps / 8 / 1000, () => this.wake());
    this.links.add(link);
    upstream.pipe(client);
    const close = () => {
      this.links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  }

  private wake(): void {
    if (!this.timer) this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Refills every bucket and hands the shared one out in quanta, round-robin, to links with bytes waiting. */
  private tick(): void {
    const now = performance.now();
    // A link with bytes left after the last tick has been backlogged since (bytes only leave in ticks).
    const waiting = [...this.links].filter((l) => l.queued > 0);
    this.shared.refill(now, this.backlogged);
    for (const link of this.links) link.bucket.refill(now, link.backlogged);
    if (waiting.length === 0) {
      clearInterval(this.timer!);
      this.timer = null;
      return;
    }
    // What each link may send by its own bucket; the shared bucket is then filled in turn.
    const wants = waiting.map((l) => Math.min(l.bucket.available(), l.queued));
    const grants = wants.map(() => 0);
    let shared = this.shared.available();
    let open = wants.filter((w) => w > 0).length;
    for (let i = this.turn++ % waiting.length; shared > 0 && open > 0; i = (i + 1) % waiting.length) {
      const left = wants[i]! - grants[i]!;
      if (left <= 0) continue;
      const bytes = Math.min(left, QUANTUM, shared);
      grants[i] = grants[i]! + bytes;
      shared -= bytes;
      if (grants[i] === wants[i]) open--;
    }
    waiting.forEach((link, i) => {
      const bytes = grants[i]!;
      if (bytes > 0) {
        link.bucket.take(bytes);
        this.shared.take(bytes);
        link.carry(bytes);
      }
      link.backlogged = link.queued > 0;
    });
    this.backlogged = waiting.some((l) => l.backlogged);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const link of this.links) {
      link.client.destroy();
      link.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
