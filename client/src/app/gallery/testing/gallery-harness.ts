import { provideLocationMocks } from '@angular/common/testing';
import { provideZonelessChangeDetection, type Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { FakeSocket, flush } from '../../../testing/fake-socket';
import { REALTIME_SOCKET_FACTORY } from '../../core/realtime.service';
import { FakeClock } from '../../wall/testing/wall-harness';
import { WALL_CLOCK } from '../../wall/wall-clock';
import { SHARE_API, type ShareApi } from '../share-api';
import { FakeWallServer } from './fake-wall-server';

/** A browser's share and copy, recorded; a spec picks which the browser has and whether they work. */
export class FakeShareApi implements ShareApi {
  share: ShareApi['share'] = null;
  readonly shared: ShareData[] = [];
  readonly copied: string[] = [];
  copyFails = false;

  withNativeShare(result: () => Promise<void> = () => Promise.resolve()): this {
    this.share = (data) => {
      this.shared.push(data);
      return result();
    };
    return this;
  }

  copy(text: string): Promise<void> {
    if (this.copyFails) return Promise.reject(new Error('not allowed'));
    this.copied.push(text);
    return Promise.resolve();
  }
}

/**
 * A page (the gallery, or My photos for the shared viewer) on a connected fake socket, a fake wall
 * server behind it, a clock the spec moves and a router whose URL the spec reads.
 */
export class PageHarness<T> {
  readonly socket = new FakeSocket();
  readonly server = new FakeWallServer(this.socket);
  readonly clock = new FakeClock();
  readonly share = new FakeShareApi();
  router!: RouterTestingHarness;
  page!: T;
  root!: HTMLElement;

  constructor(
    private readonly component: Type<T>,
    private readonly path: string,
  ) {
    this.socket.connected = true;
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([{ path, component }]),
        provideLocationMocks(),
        { provide: REALTIME_SOCKET_FACTORY, useValue: () => this.socket },
        { provide: WALL_CLOCK, useValue: this.clock },
        { provide: SHARE_API, useValue: this.share },
      ],
    });
  }

  /** Navigates to the page (query string and all) and renders it (TestBed puts it in the document). */
  async render(query = ''): Promise<HTMLElement> {
    // As the app's bootstrap does: back (Location.back(), the phone's back gesture) navigates the router.
    TestBed.inject(Router).setUpLocationChangeListener();
    this.router = await RouterTestingHarness.create();
    this.page = await this.router.navigateByUrl(`/${this.path}${query}`, this.component);
    this.root = this.router.routeNativeElement!;
    this.socket.serverSettings();
    await this.settle();
    return this.root;
  }

  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await flush();
      await this.router.fixture.whenStable();
    }
  }

  get url(): string {
    return TestBed.inject(Router).url;
  }

  q(id: string, within: ParentNode = this.root): HTMLElement | null {
    return within.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  }

  all(id: string, within: ParentNode = this.root): HTMLElement[] {
    return Array.from(within.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));
  }

  text(id: string, within: ParentNode = this.root): string | undefined {
    return this.q(id, within)?.textContent?.replace(/\s+/g, ' ').trim();
  }

  async click(element: HTMLElement | null): Promise<void> {
    if (!element) throw new Error('nothing to click: the element is not on the page');
    element.click();
    await this.settle();
  }

  async key(key: string, target: EventTarget = document.activeElement ?? document.body): Promise<void> {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    await this.settle();
  }

  /** A one-finger drag across the viewer's stage, dx CSS px sideways and dy down, over `ms`. */
  async swipe(dx: number, dy = 0, ms = 400): Promise<void> {
    const stage = this.q('viewer-stage')!;
    const at = (type: string, x: number, y: number, timeStamp: number) =>
      Object.defineProperty(new PointerEvent(type, { pointerId: 7, isPrimary: true, button: 0, clientX: x, clientY: y, bubbles: true }), 'timeStamp', {
        value: timeStamp,
      });
    const t0 = performance.now();
    stage.dispatchEvent(at('pointerdown', 200, 300, t0));
    stage.dispatchEvent(at('pointermove', 200 + dx / 2, 300 + dy / 2, t0 + ms / 2));
    stage.dispatchEvent(at('pointerup', 200 + dx, 300 + dy, t0 + ms));
    await this.settle();
  }

  /** The socket drops and comes back. */
  async reconnect(): Promise<void> {
    this.socket.serverDisconnect();
    this.socket.serverConnect();
    await this.settle();
  }
}
