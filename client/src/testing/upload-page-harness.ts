import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { REALTIME_SOCKET_FACTORY } from '../app/core/realtime.service';
import { UPLOAD_JITTER } from '../app/upload/backoff';
import { DOWNSCALER, type Downscaler } from '../app/upload/downscale';
import { NETWORK_WINDOW } from '../app/upload/online-status';
import { PENDING_UPLOADS_DB, PendingStore } from '../app/upload/pending-store';
import { PREVIEW_MAKER, type PreviewMaker } from '../app/upload/preview';
import { UploadPage } from '../app/upload/upload-page';
import { UPLOAD_TUNING } from '../app/upload/upload.service';
import { FakeSocket, flush } from './fake-socket';
import { FakeUploadServer, patternBytes } from './fake-upload-server';

/** A browser whose network a spec switches off and on, as the phone's Wi-Fi does. */
export class FakeNetwork extends EventTarget {
  readonly navigator = { onLine: true };

  set(online: boolean): void {
    this.navigator.onLine = online;
    this.dispatchEvent(new Event(online ? 'online' : 'offline'));
  }
}

/** Bytes a fake preview has: small beside the "photos" specs pick (just above PREVIEW_ABOVE_BYTES). */
export const FAKE_PREVIEW_BYTES = 50_000;

/**
 * The upload page on a connected fake socket and fake upload server, with a real IndexedDB of its
 * own (cleared by `cleanUp`), a network the spec controls, exact backoff, the photo kept as it is
 * (no smaller copy) and a preview that is the first FAKE_PREVIEW_BYTES of the photo. Construct in
 * beforeEach, then `await cleanUp()` before the first render and in afterEach.
 */
export class UploadPageHarness {
  readonly socket = new FakeSocket();
  readonly server = new FakeUploadServer();
  readonly network = new FakeNetwork();
  readonly tuning = { retryDelaysMs: [0], requestTimeoutMs: 50 };
  /** Replace the fake to test how a preview is chosen. */
  previewMaker: PreviewMaker = async (photo) => photo.slice(0, FAKE_PREVIEW_BYTES, 'image/jpeg');
  readonly previewsMade: Blob[] = [];
  fixture!: ComponentFixture<UploadPage>;
  root!: HTMLElement;

  constructor(database = 'photobook-uploads-page-spec') {
    this.socket.connected = true;
    this.socket.handler = this.server.handle;
    const keep: Downscaler = async (file) => ({ blob: file, name: file.name, downscaled: false });
    const previews: PreviewMaker = (photo) => {
      this.previewsMade.push(photo);
      return this.previewMaker(photo);
    };
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: REALTIME_SOCKET_FACTORY, useValue: () => this.socket },
        { provide: UPLOAD_TUNING, useValue: this.tuning },
        { provide: UPLOAD_JITTER, useValue: () => 1 },
        { provide: DOWNSCALER, useValue: keep },
        { provide: PREVIEW_MAKER, useValue: previews },
        { provide: NETWORK_WINDOW, useValue: this.network },
        { provide: PENDING_UPLOADS_DB, useValue: database },
      ],
    });
  }

  get store(): PendingStore {
    return TestBed.inject(PendingStore);
  }

  /** Empties the spec's IndexedDB, so no spec sees another's pending uploads. */
  async cleanUp(): Promise<void> {
    this.fixture?.destroy();
    await this.store.clear();
  }

  /** Opens the page (again: a reload, as far as the page can tell). */
  async render(): Promise<HTMLElement> {
    this.fixture = TestBed.createComponent(UploadPage);
    this.root = this.fixture.nativeElement as HTMLElement;
    await this.settle();
    return this.root;
  }

  q(id: string, within: ParentNode = this.root): HTMLElement | null {
    return within.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  }

  qa(id: string, within: ParentNode = this.root): HTMLElement[] {
    return Array.from(within.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));
  }

  text(element: HTMLElement | null | undefined): string | undefined {
    return element?.textContent?.replace(/\s+/g, ' ').trim();
  }

  rows(): HTMLElement[] {
    return this.qa('upload-item');
  }

  async pick(...files: File[]): Promise<void> {
    const input = this.q('file-input') as HTMLInputElement;
    const transfer = new DataTransfer();
    for (const file of files) transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    await this.settle();
  }

  async tapUpload(): Promise<void> {
    this.q('upload-button')!.click();
    await this.settle();
  }

  /** Waits for what the page shows to reach a state (file reads and IndexedDB are real I/O). */
  async until(what: string, check: () => boolean, timeoutMs = 3_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      await this.settle();
      if (check()) return;
      if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async settle(): Promise<void> {
    await flush(3);
    await this.fixture.whenStable();
  }

  /** The begins the server saw: [part, clientUploadId, size]. */
  begins(): Array<[string, string, number]> {
    return this.socket.requests('upload:begin').map((b) => [b.part ?? 'whole', b.clientUploadId, b.size]);
  }
}

/** A photo-sized JPEG file (its bytes a pattern, so what arrives can be compared). */
export function bigJpeg(name: string, size = 1_300_000): File {
  return new File([patternBytes(size)], name, { type: 'image/jpeg' });
}

/** Resolves a held reply when the spec says so. */
export function gate(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}
