import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/**
 * The guest's address. Behind nginx or an ingress every connection comes from the proxy, so one
 * guest's lockout would hit everyone: X-Forwarded-For is honoured, but only from the proxies the
 * host named in TRUST_PROXY (a guest can write that header too). The same rule serves HTTP
 * (express's `trust proxy`) and the socket handshake.
 */
export function clientAddressOf(trusted: readonly string[]): (req: IncomingMessage) => string {
  const trust = proxyAddr.compile([...trusted]);
  return (req) => {
    try {
      return proxyAddr(req, trust);
    } catch {
      return req.socket.remoteAddress ?? 'unknown';
    }
  };
}

/** What express's `trust proxy` setting takes for the same list (false: trust no one). */
export function expressTrust(trusted: readonly string[]): string[] | false {
  return trusted.length === 0 ? false : [...trusted];
}
