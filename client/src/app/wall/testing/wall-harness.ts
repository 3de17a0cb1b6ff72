import { provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { ok, type PhotoDto, type WallPage as WallPageDto } from '@photobook/shared';
import { FakeSocket, NO_REPLY, flush } from '../../../testing/fake-socket';
import { REALTIME_SOCKET_FACTORY } from '../../core/realtime.service';
import { WALL_CLOCK, type WallClock } from '../wall-clock';
import { WALL_IMAGE_LOADER } from '../wall-images';
import { WALL_URL_OPTIONS, parseWallOptions } from '../wall-options';
import { WallPage } from '../wall-page';

/** A clock the spec moves by hand; timers fire in order as it passes them. */
export class FakeClock implements WallClock {
  time = 1_000_000;
  private ids = 0;
  private readonly timers = new Map<number, { at: number; every: number | null; fn: () => void }>();

  now(): number {
    return this.time;
  }
  every(ms: number, fn: () => void): () => void {
    return this.add(ms, ms, fn);
  }
  after(ms: number, fn: () => void): () => void {
    return this.add(ms, null, fn);
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: { id: number; at: number; every: number | null; fn: () => void } | null = null;
      for (const [id, t] of this.timers) if (t.at <= end && (!next || t.at < next.at)) next = { id, ...t };
      if (!next) break;
      this.time = next.at;
      if (next.every === null) this.timers.delete(next.id);
      else this.timers.get(next.id)!.at = next.at + next.every;
      next.fn();
    }
    this.time = end;
  }
  private add(ms: number, every: number | null, fn: () => void): () => void {
    const id = ++this.ids;
    this.timers.set(id, { at: this.time + ms, every, fn });
    return () => this.timers.delete(id);
  }
}

/** Images that load at once, except those the spec breaks. */
export class FakeImages {
  readonly broken = new Set<string>();
  readonly requested: string[] = [];
  readonly load = (url: string): Promise<boolean> => {
    this.requested.push(url);
    return Promise.resolve(!this.broken.has(url));
  };
  timesRequested(url: string): number {
    return this.requested.filter((u) => u === url).length;
  }
}

/** What the fake server answers to the next 'wall:join' (total and full default to a join from scratch). */
export interface FakeSnapshot {
  photos: PhotoDto[];
  removed?: string[];
  seq: number;
  full?: boolean;
  total?: number;
}

/** The wall page on a fake socket, clock and images; the spec plays the server and the room. */
export class WallHarness {
  readonly socket = new FakeSocket();
  readonly clock = new FakeClock();
  readonly images = new FakeImages();
  snapshot: FakeSnapshot = { photos: [], seq: 0 };
  /** Answers 'wall:page'; by default a server that does not know the request yet. */
  page: (request: { cursor: string | null; limit: number }) => WallPageDto | typeof NO_REPLY | { error: string } = () => ({ error: 'BAD_REQUEST' });
  fixture!: ComponentFixture<WallPage>;

  constructor(search = '') {
    this.socket.handler = (event, payload) => {
      if (event === 'wall:join') {
        const s = this.snapshot;
        return ok({ removed: [], full: payload.sinceSeq === null, total: s.photos.length, ...s });
      }
      if (event === 'wall:page') {
        const reply = this.page(payload);
        if (reply === NO_REPLY) return NO_REPLY;
        return 'error' in reply ? { ok: false, error: { code: reply.error, message: 'no' } } : ok(reply);
      }
      return NO_REPLY;
    };
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: REALTIME_SOCKET_FACTORY, useValue: () => this.socket },
        { provide: WALL_CLOCK, useValue: this.clock },
        { provide: WALL_IMAGE_LOADER, useValue: this.images.load },
        { provide: WALL_URL_OPTIONS, useValue: parseWallOptions(search) },
      ],
    });
  }

  get root(): HTMLElement {
    return this.fixture.nativeElement as HTMLElement;
  }

  async render(): Promise<HTMLElement> {
    this.fixture = TestBed.createComponent(WallPage);
    await this.fixture.whenStable();
    this.socket.serverConnect();
    await this.settle();
    return this.root;
  }

  async settle(): Promise<void> {
    await flush();
    await this.fixture.whenStable();
  }

  /** Lets time pass on the wall, a tick at a time, and lets it draw at the end. */
  async wait(ms: number): Promise<void> {
    await this.run(ms);
    await this.settle();
  }

  /**
   * Lets time pass without drawing: fast enough for the show's hours. Between ticks only promise
   * callbacks run (the fake socket's acks and the fake images resolve that way), so `each` reads
   * the show's signals, not the DOM.
   */
  async run(ms: number, each?: () => void): Promise<void> {
    for (let left = ms; left > 0; left -= 250) {
      this.clock.advance(Math.min(250, left));
      for (let i = 0; i < 20; i++) await Promise.resolve();
      each?.();
    }
  }

  async settings(...args: Parameters<FakeSocket['serverSettings']>): Promise<void> {
    this.socket.serverSettings(...args);
    await this.settle();
  }

  q(testId: string): HTMLElement | null {
    return this.root.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  }
  text(testId: string): string | undefined {
    return this.q(testId)?.textContent?.replace(/\s+/g, ' ').trim();
  }
  /** Ids of the photos shown now (the stage's, or every tile's), as the e2e specs read them. */
  shownIds(): (string | null)[] {
    return Array.from(this.root.querySelectorAll('[data-testid="wall-photo"]'), (el) => el.getAttribute('data-photo-id'));
  }
  onStage(): string | null {
    return this.q('wall-stage')?.getAttribute('data-photo-id') ?? null;
  }
  layout(): string | null {
    return this.root.querySelector('main')?.getAttribute('data-layout') ?? null;
  }
  mode(): string | null {
    return this.root.querySelector('main')?.getAttribute('data-mode') ?? null;
  }
  alts(): (string | null)[] {
    return Array.from(this.root.querySelectorAll('[data-testid="wall-photo"] img'), (img) => img.getAttribute('alt'));
  }
}
