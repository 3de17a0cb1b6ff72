import type { Logger } from '../errors';
import type { StorageUpkeep } from '../store/types';

/** A readiness probe answers within this, whatever the store is doing (an election, an outage). */
const STORE_PING_MS = 2_000;

export interface ReadinessDeps {
  readonly store: Pick<StorageUpkeep, 'ping'>;
  /** The replicas' link when REDIS_URL is set. */
  readonly link: { readonly state: 'up' | 'down' } | null;
  readonly draining: () => boolean;
  readonly logger: Logger;
}

/**
 * /readyz: null when this replica should take new traffic, else the reason. Draining comes first
 * (a replica told to stop takes nothing new), then the store, then Redis when configured. Only a
 * change of answer is logged, not every probe.
 */
export function readinessCheck(deps: ReadinessDeps): () => Promise<string | null> {
  let last: string | null = null;
  const said = (reason: string | null) => {
    if (reason !== last) {
      if (reason === null) deps.logger.info('ready');
      else deps.logger.warn('not ready', { reason });
      last = reason;
    }
    return reason;
  };
  return async () => {
    if (deps.draining()) return said('This replica is shutting down.');
    try {
      await deps.store.ping(STORE_PING_MS);
    } catch {
      return said('The store does not answer.');
    }
    if (deps.link && deps.link.state !== 'up') return said('Redis does not answer.');
    return said(null);
  };
}
