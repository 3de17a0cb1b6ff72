import type { FileHandle } from 'node:fs/promises';

/** A part file held open between chunks, with what the store knows of it. */
export interface OpenPart {
  readonly handle: FileHandle;
  /** Bytes in the file (all writes go through this handle, so this is the file's size). */
  size: number;
  /** When the last write landed (the file's mtime, without asking the disk). */
  mtimeMs: number;
  usedAt: number;
  /** A write is under way: neither the bound nor the idle timer may close this handle now. */
  busy: boolean;
}

export interface OpenPartsLimits {
  /** Handles held at most; the least recently used is closed first. */
  readonly max: number;
  /** A handle unused this long is closed (a phone that went quiet holds no descriptor). */
  readonly idleMs: number;
}

export const DEFAULT_OPEN_PARTS: OpenPartsLimits = Object.freeze({ max: 64, idleMs: 30_000 });

/**
 * Open handles of part files, keyed by upload id, so a chunk costs one write instead of
 * open + fstat + write + close. Bounded in count and idle time: descriptors never grow with the
 * number of uploads. Callers hold the upload's turn while they use or drop an entry.
 */
export class OpenParts {
  /** Map order is recency order: the first entry is the least recently used. */
  private readonly parts = new Map<string, OpenPart>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly limits: OpenPartsLimits = DEFAULT_OPEN_PARTS) {
    this.timer = setInterval(() => void this.closeIdle(), Math.max(10, limits.idleMs / 2));
    this.timer.unref();
  }

  get count(): number {
    return this.parts.size;
  }

  get(id: string): OpenPart | undefined {
    const part = this.parts.get(id);
    if (!part) return undefined;
    part.usedAt = Date.now();
    this.parts.delete(id);
    this.parts.set(id, part);
    return part;
  }

  /** Keeps a just-opened handle; closes the least recently used ones beyond the bound. */
  async add(id: string, part: OpenPart): Promise<void> {
    this.parts.set(id, part);
    const closing: Promise<void>[] = [];
    for (const [oldest, held] of this.parts) {
      if (this.parts.size <= this.limits.max) break;
      if (held.busy) continue;
      this.parts.delete(oldest);
      closing.push(quietClose(held));
    }
    await Promise.all(closing);
  }

  /** Closes and forgets one upload's handle (commit, abort, expiry, a failed write). */
  async drop(id: string): Promise<void> {
    const part = this.parts.get(id);
    if (!part) return;
    this.parts.delete(id);
    await quietClose(part);
  }

  private async closeIdle(): Promise<void> {
    const before = Date.now() - this.limits.idleMs;
    const idle = [...this.parts].filter(([, p]) => !p.busy && p.usedAt < before);
    for (const [id] of idle) this.parts.delete(id);
    await Promise.all(idle.map(([, p]) => quietClose(p)));
  }

  /** Shutdown: every handle closed, the timer stopped. */
  async closeAll(): Promise<void> {
    clearInterval(this.timer);
    const all = [...this.parts.values()];
    this.parts.clear();
    await Promise.all(all.map(quietClose));
  }
}

/** Every byte written was already acknowledged (or cut back); a failing close loses nothing. */
const quietClose = (part: OpenPart) => part.handle.close().catch(() => undefined);
