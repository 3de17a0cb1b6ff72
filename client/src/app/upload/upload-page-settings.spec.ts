import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { FakeSocket, flush } from '../../testing/fake-socket';
import { FakeUploadServer } from '../../testing/fake-upload-server';
import { REALTIME_SOCKET_FACTORY } from '../core/realtime.service';
import { AUTHOR_STORAGE_KEY } from './author-store';
import { DOWNSCALER, type Downscaler } from './downscale';
import { PENDING_UPLOADS_DB } from './pending-store';
import { UploadPage } from './upload-page';
import { UPLOAD_TUNING } from './upload.service';

const MB = 1024 * 1024;

/** The upload page following the host's settings live: the event's title and the largest photo accepted. */
describe('UploadPage with the host settings', () => {
  let socket: FakeSocket;
  let server: FakeUploadServer;
  let fixture: ComponentFixture<UploadPage>;
  let root: HTMLElement;
  let downscaler: jasmine.Spy<Downscaler>;
  /** What the fake downscaler makes of a file above the threshold (a "smaller copy" of these bytes). */
  let copyBytes: number;

  beforeEach(async () => {
    localStorage.removeItem(AUTHOR_STORAGE_KEY);
    socket = new FakeSocket();
    socket.connected = true;
    server = new FakeUploadServer();
    socket.handler = server.handle;
    copyBytes = 100;
    downscaler = jasmine.createSpy<Downscaler>('downscaler').and.callFake(async (file, options) =>
      options.aboveBytes !== null && file.size > options.aboveBytes && file.type === 'image/jpeg'
        ? { blob: file.slice(0, copyBytes, 'image/jpeg'), name: 'small.jpg', downscaled: true }
        : { blob: file, name: file.name, downscaled: false },
    );
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: REALTIME_SOCKET_FACTORY, useValue: () => socket },
        { provide: UPLOAD_TUNING, useValue: { retryDelaysMs: [0], requestTimeoutMs: 50 } },
        { provide: DOWNSCALER, useFactory: () => downscaler },
        { provide: PENDING_UPLOADS_DB, useValue: null },
      ],
    });
    fixture = TestBed.createComponent(UploadPage);
    root = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => localStorage.removeItem(AUTHOR_STORAGE_KEY));

  const q = (id: string, within: ParentNode = root) => within.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const qa = (id: string) => Array.from(root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));
  const text = (element: HTMLElement | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim();
  const row = (name: string) => qa('upload-item').find((item) => item.querySelector('textarea')?.getAttribute('aria-label')?.endsWith(name));
  const begun = () => socket.requests('upload:begin').map((b) => b.name);

  async function settings(...args: Parameters<FakeSocket['serverSettings']>): Promise<void> {
    socket.serverSettings(...args);
    await fixture.whenStable();
  }

  async function pick(...files: File[]): Promise<void> {
    const input = q('file-input') as HTMLInputElement;
    const transfer = new DataTransfer();
    for (const file of files) transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    await fixture.whenStable();
  }

  async function upload(): Promise<void> {
    q('upload-button')!.click();
    await flush(20);
    await fixture.whenStable();
  }

  /** Zeroes are quick to make even at 62 MB; none of these bytes is compared. */
  const photo = (name: string, size: number, type = 'image/jpeg') => new File([new Uint8Array(size)], name, { type });

  it("shows the event's title as the heading with a small 'Share your photos' line, and follows renames live", async () => {
    expect(text(q('page-title'))).toBe('Add your photos');
    expect(q('share-line')).toBeNull();

    await settings({ title: "Anna & Ben's wedding" });
    expect(root.querySelector('h1')?.textContent?.trim()).toBe("Anna & Ben's wedding");
    expect(text(q('share-line'))).toBe('Share your photos');

    await settings({ title: 'Anna & Ben, the party' });
    expect(text(q('page-title'))).toBe('Anna & Ben, the party');

    await settings({ title: '' });
    expect(text(q('page-title'))).toBe('Add your photos');
    expect(q('share-line')).toBeNull();
  });

  it('refuses a photo bigger than the host accepts at once, with its size, while the others go to the wall', async () => {
    await settings({ maxUploadBytes: 50 * MB, downscaleAboveBytes: null });
    await pick(photo('a.jpg', 1000), photo('huge.gif', 62 * MB, 'image/gif'), photo('b.jpg', 2000));

    expect(text(q('upload-too-large', row('huge.gif')))).toBe('This photo is 62 MB; the host accepts up to 50 MB.');
    expect(text(q('upload-button'))).toBe('Upload 2 photos');

    await upload();
    expect(begun()).toEqual(['a.jpg', 'b.jpg']);
    expect(qa('upload-done').length).toBe(2);
    expect(q('upload-done', row('huge.gif'))).toBeNull();
    expect(text(q('upload-too-large', row('huge.gif')))).toContain('the host accepts up to 50 MB');
    expect(text(q('upload-button'))).toBe('No photos to send');
  });

  it('sends a photo whose smaller copy fits, and refuses one whose copy is still too big, without sending it', async () => {
    await settings({ maxUploadBytes: 3000, downscaleAboveBytes: 1000 });
    await pick(photo('fits.jpg', 8000), photo('ok.jpg', 500));
    expect(qa('upload-too-large')).toEqual([]); // the copy may well fit: only the copy can tell

    copyBytes = 2000;
    await upload();
    expect(begun()).toEqual(['small.jpg', 'ok.jpg']);
    expect(socket.requests('upload:begin')[0]?.size).toBe(2000);

    copyBytes = 4000;
    await pick(photo('stubborn.jpg', 9000));
    await upload();
    expect(begun()).toEqual(['small.jpg', 'ok.jpg']);
    expect(text(q('upload-too-large', row('stubborn.jpg')))).toBe('This photo is 4 KB; the host accepts up to 2 KB.');
    expect(qa('upload-done').length).toBe(2);
  });

  it('lets a refused photo go once the host raises the limit', async () => {
    await settings({ maxUploadBytes: 1000 });
    await pick(photo('big.gif', 5000, 'image/gif'));
    expect(q('upload-too-large')).not.toBeNull();
    expect((q('upload-button') as HTMLButtonElement).disabled).toBeTrue();

    await settings({ maxUploadBytes: 10_000 });
    expect(q('upload-too-large')).toBeNull();
    await upload();
    expect(begun()).toEqual(['big.gif']);
    expect(qa('upload-done').length).toBe(1);
  });

  it('downscales with the threshold and edge the host set last, even when changed after picking', async () => {
    await settings({ downscaleAboveBytes: 5000, downscaleMaxEdge: 4096 });
    await pick(photo('a.jpg', 3000));
    await settings({ downscaleAboveBytes: 1000, downscaleMaxEdge: 1600 });
    await upload();
    expect(downscaler.calls.argsFor(0)[1]).toEqual({ aboveBytes: 1000, maxEdge: 1600 });
    expect(begun()).toEqual(['small.jpg']);
  });
});
