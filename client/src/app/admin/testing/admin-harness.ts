import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { JOIN_INFO_PATH, type JoinInfo } from '@photobook/shared';
import { ADMIN_SOCKET_FACTORY } from '../../core/admin-socket.service';
import { ADMIN_ROUTES } from '../admin.routes';
import { ADMIN_FETCH } from '../admin-session';
import { FakeAdminServer } from './fake-admin-server';
import { FakeAdminSocket, flush } from './fake-admin-socket';

export interface FetchCall {
  readonly method: string;
  readonly body: unknown;
}

const HOUR = 3_600_000;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain', ...headers } });
}

/** The console at /admin on a fake socket and a fake session endpoint; call in beforeEach. */
export class AdminHarness {
  readonly socket = new FakeAdminSocket();
  readonly server = new FakeAdminServer(this.socket);
  readonly fetchCalls: FetchCall[] = [];
  /** What GET /api/join answers: the address guests' phones reach. */
  joinInfo: JoinInfo = { uploadUrl: 'http://192.168.1.20:3000/upload' };
  /** Whether GET finds a live session cookie. */
  signedIn = true;
  /** The answer to POST {password}. */
  signInAnswer: (password: string) => Response | Promise<Response> = (password) =>
    password === 'secret' ? json(200, { signedIn: true, expiresAt: Date.now() + HOUR }) : text(401, 'Unauthorized');
  sockets = 0;
  router!: RouterTestingHarness;
  root!: HTMLElement;

  constructor() {
    this.socket.handler = this.server.handle;
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([{ path: 'admin', loadChildren: () => ADMIN_ROUTES }]),
        {
          provide: ADMIN_SOCKET_FACTORY,
          useValue: () => {
            this.sockets++;
            this.socket.closed = false;
            // Connects a moment later, as a real handshake does.
            setTimeout(() => this.socket.serverConnect());
            return this.socket;
          },
        },
        { provide: ADMIN_FETCH, useValue: this.fetch },
      ],
    });
  }

  private readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const method = init?.method ?? 'GET';
    if (String(input) === JOIN_INFO_PATH) return json(200, this.joinInfo);
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    this.fetchCalls.push({ method, body });
    if (method === 'POST') {
      const answer = await this.signInAnswer((body as { password: string }).password);
      if (answer.ok) this.signedIn = true;
      return answer;
    }
    if (method === 'DELETE') {
      this.signedIn = false;
      return new Response(null, { status: 204 });
    }
    return this.signedIn ? json(200, { signedIn: true, expiresAt: Date.now() + HOUR }) : text(401, 'Unauthorized');
  };

  async render(url = '/admin/photos'): Promise<HTMLElement> {
    this.router = await RouterTestingHarness.create();
    await this.router.navigateByUrl(url);
    this.root = this.router.fixture.nativeElement as HTMLElement;
    await this.settle();
    return this.root;
  }

  async navigate(url: string): Promise<void> {
    await TestBed.inject(Router).navigateByUrl(url);
    await this.settle();
  }

  async settle(rounds = 8): Promise<void> {
    for (let i = 0; i < 2; i++) {
      await flush(rounds);
      await this.router.fixture.whenStable();
    }
  }

  q<T extends HTMLElement = HTMLElement>(id: string, within: ParentNode = this.root): T | null {
    return within.querySelector<T>(`[data-testid="${id}"]`);
  }

  all(id: string, within: ParentNode = this.root): HTMLElement[] {
    return Array.from(within.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));
  }

  text(id: string, within: ParentNode = this.root): string | undefined {
    return this.q(id, within)?.textContent?.replace(/\s+/g, ' ').trim();
  }

  async click(element: HTMLElement | null, init: MouseEventInit = {}): Promise<void> {
    if (!element) throw new Error('nothing to click: the element is not on the page');
    if (Object.keys(init).length) element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, ...init }));
    else element.click();
    await this.settle();
  }

  async type(element: HTMLElement | null, value: string): Promise<void> {
    const field = element as HTMLInputElement;
    field.value = value;
    field.dispatchEvent(new Event('input', { bubbles: true }));
    await this.settle();
  }

  async key(key: string, target: EventTarget = document.body): Promise<void> {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    await this.settle();
  }
}
