/**
 * A TCP proxy that counts the bytes the server sends back, per request. Chromium speaks HTTP/1.1 here
 * without pipelining: each request on a connection is answered before the next is sent, so every byte
 * from the server belongs to the last request line seen on its connection (after a WebSocket upgrade,
 * the frames belong to the upgrade). The count is TCP payload: status line, headers, the body as
 * encoded (brotli, gzip), chunk framing; what a phone's Wi-Fi carries, less IP and TCP headers.
 */
import net from 'node:net';

export interface Answered {
  /** "GET /chunk-X.js", query left off. */
  readonly request: string;
  /** The answer's HTTP status, once its first bytes are in. */
  status: number | null;
  bytes: number;
}

const REQUEST_LINE = /^([A-Z]+) ([^ ?\r\n]+)\S* HTTP\/1\.1\r\n/;

export class CountingProxy {
  readonly answered: Answered[] = [];
  /** performance.now() of the last byte either way. */
  lastByteAt = performance.now();

  private constructor(private readonly server: net.Server, readonly url: string) {}

  /** Listens on `host` (an IPv4 address) and forwards to `targetPort` on 127.0.0.1. */
  static async start(targetPort: number, host = '127.0.0.1'): Promise<CountingProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const proxy = new CountingProxy(server, `http://${host}:${(server.address() as net.AddressInfo).port}`);
    server.on('connection', (client) => proxy.forward(client, net.connect(targetPort, '127.0.0.1')));
    return proxy;
  }

  /** Bytes from the server since the last reset. */
  total(): number {
    return this.answered.reduce((sum, a) => sum + a.bytes, 0);
  }

  reset(): void {
    this.answered.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: net.Socket, upstream: net.Socket): void {
    let current: Answered = { request: '(before any request)', status: null, bytes: 0 };
    client.on('data', (data) => {
      this.lastByteAt = performance.now();
      const line = REQUEST_LINE.exec(data.toString('latin1', 0, Math.min(data.length, 2048)));
      if (line) this.answered.push((current = { request: `${line[1]} ${line[2]}`, status: null, bytes: 0 }));
      upstream.write(data);
    });
    upstream.on('data', (data) => {
      this.lastByteAt = performance.now();
      if (current.bytes === 0) current.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data.toString('latin1', 0, 16))?.[1] ?? 0);
      current.bytes += data.length;
      client.write(data);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  }
}
