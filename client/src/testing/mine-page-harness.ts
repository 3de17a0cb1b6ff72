import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { REALTIME_SOCKET_FACTORY } from '../app/core/realtime.service';
import { MinePage } from '../app/mine/mine-page';
import { RECOVERY_CODE_STORAGE_KEY } from '../app/mine/recovery-code';
import { FakeMineServer } from './fake-mine-server';
import { FakeSocket, flush } from './fake-socket';

/** My photos on a connected fake socket, with the fake server behind it; call in beforeEach. */
export class MinePageHarness {
  readonly socket = new FakeSocket();
  readonly server = new FakeMineServer();
  fixture!: ComponentFixture<MinePage>;
  root!: HTMLElement;

  constructor() {
    localStorage.removeItem(RECOVERY_CODE_STORAGE_KEY);
    this.socket.connected = true;
    this.socket.handler = this.server.handle;
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: REALTIME_SOCKET_FACTORY, useValue: () => this.socket },
      ],
    });
  }

  /** For afterEach: the next spec starts with no stored code. */
  cleanUp(): void {
    localStorage.removeItem(RECOVERY_CODE_STORAGE_KEY);
  }

  async render(): Promise<HTMLElement> {
    this.fixture = TestBed.createComponent(MinePage);
    this.root = this.fixture.nativeElement as HTMLElement;
    await this.settle();
    return this.root;
  }

  async settle(): Promise<void> {
    await flush();
    await this.fixture.whenStable();
  }

  q(id: string, within: ParentNode = this.root): HTMLElement | null {
    return within.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  }

  text(id: string, within: ParentNode = this.root): string | undefined {
    return this.q(id, within)?.textContent?.replace(/\s+/g, ' ').trim();
  }

  shownIds(): Array<string | null> {
    return Array.from(this.root.querySelectorAll('[data-testid="my-photo"]')).map((el) => el.getAttribute('data-photo-id'));
  }

  async click(element: HTMLElement | null): Promise<void> {
    if (!element) throw new Error('nothing to click: the element is not on the page');
    element.click();
    await this.settle();
  }

  async type(element: HTMLElement | null, value: string): Promise<void> {
    const field = element as HTMLInputElement | HTMLTextAreaElement;
    field.value = value;
    field.dispatchEvent(new Event('input'));
    await this.fixture.whenStable();
  }

  async submit(form: HTMLElement | null | undefined): Promise<void> {
    (form as HTMLFormElement).requestSubmit();
    await this.settle();
  }

  async pressEscape(element: HTMLElement | null): Promise<void> {
    element!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await this.settle();
  }

  /** The socket drops and comes back: the page lists again. */
  async reconnect(): Promise<void> {
    this.socket.serverDisconnect();
    this.socket.serverConnect();
    await this.settle();
  }
}
