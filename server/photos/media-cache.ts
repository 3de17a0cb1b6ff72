import type { MediaFile, PhotoRecord } from '../store/types';
import { PUBLIC_VARIANTS } from '../store/types';

export interface MediaCacheOptions {
  /** Entries kept at most; the least recently served goes first. */
  readonly maxEntries: number;
  /** How long an entry is trusted without asking the store again (see MediaCache). */
  readonly ttlMs: number;
  readonly now?: () => number;
}

/** Thousands of hot keys (a wall cycles a few hundred photos, two variants each), a few hundred bytes each. */
export const MEDIA_CACHE_ENTRIES = 4_096;
/**
 * The longest a replica that missed an eviction (Redis down, or its message lost: pub/sub is at most
 * once) goes on serving a key that was hidden or removed elsewhere. A hot key costs one store
 * lookup per this long, which is nothing beside thousands of requests a second.
 */
export const MEDIA_CACHE_TTL_MS = 5_000;

interface Entry {
  readonly file: MediaFile;
  readonly until: number;
}

/**
 * Public /media lookups remembered by key, so a hot image needs no store round trip and no stat:
 * keys are content addresses (the bytes under a key never change) and the store's answer carries
 * the size. What can change is whether a key may be served (a photo hidden, held back, removed):
 * whoever changes that calls forget() here and on every replica (app.ts wires it to photoChanged and
 * to the replicas' 'media:stale'); the TTL bounds what a lost message can leave behind. Misses (404)
 * are not remembered: a key that becomes servable is served at once.
 */
export class MediaCache {
  private readonly entries = new Map<string, Entry>();
  /** One store lookup per key at a time, shared by the requests that arrive meanwhile. */
  private readonly inFlight = new Map<string, Promise<MediaFile | null>>();
  /** Bumped by every forget(): a lookup begun before it must not store what it found. */
  private generation = 0;
  private readonly now: () => number;

  constructor(
    private readonly lookup: (key: string) => Promise<MediaFile | null>,
    private readonly options: MediaCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The file to serve under `key`, or null when it may not be served (unknown, or not visible). */
  open(key: string): Promise<MediaFile | null> {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      if (entry.until > this.now()) {
        this.entries.set(key, entry);
        return Promise.resolve(entry.file);
      }
    }
    return this.inFlight.get(key) ?? this.fetch(key);
  }

  /** These keys may no longer be served (null: any key). Lookups under way are not kept either. */
  forget(keys: readonly string[] | null): void {
    this.generation++;
    if (keys === null) {
      this.entries.clear();
      this.inFlight.clear();
      return;
    }
    for (const key of keys) {
      this.entries.delete(key);
      this.inFlight.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private fetch(key: string): Promise<MediaFile | null> {
    const generation = this.generation;
    const found = this.lookup(key).finally(() => {
      if (this.inFlight.get(key) === found) this.inFlight.delete(key);
    });
    this.inFlight.set(key, found);
    void found.then(
      (file) => {
        if (!file || generation !== this.generation) return;
        this.entries.set(key, { file, until: this.now() + this.options.ttlMs });
        if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      },
      () => undefined,
    );
    return found;
  }
}

/**
 * The keys a change to this photo may have made unservable: its public variants; null (any key) for
 * a removed photo, whose record no longer lists them. Removals are rare beside the requests.
 */
export function staleKeys(photo: PhotoRecord): readonly string[] | null {
  if (photo.state === 'removed' && photo.variants.length === 0) return null;
  return photo.variants.filter((v) => PUBLIC_VARIANTS.has(v.kind)).map((v) => v.key);
}
