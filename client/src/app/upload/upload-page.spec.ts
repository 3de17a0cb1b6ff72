import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ACCEPTED_MIME_TYPES, ErrorCode, err } from '@photobook/shared';
import { FakeSocket, flush, heldHandler } from '../../testing/fake-socket';
import { until } from '../../testing/until';
import { FakeUploadServer, patternBytes } from '../../testing/fake-upload-server';
import { REALTIME_SOCKET_FACTORY } from '../core/realtime.service';
import { AUTHOR_STORAGE_KEY } from './author-store';
import { UploadPage } from './upload-page';
import { UPLOAD_TUNING } from './upload.service';
import { DOWNSCALER, type Downscaler } from './downscale';
import { PENDING_UPLOADS_DB } from './pending-store';

describe('UploadPage', () => {
  let socket: FakeSocket;
  let server: FakeUploadServer;
  let fixture: ComponentFixture<UploadPage>;
  let revoked: string[];
  let downscaler: jasmine.Spy<Downscaler>;
  /** Read by the upload service on every wait, so a spec may slow the steady retry down. */
  let tuning: { retryDelaysMs: number[]; requestTimeoutMs: number };

  beforeEach(() => {
    tuning = { retryDelaysMs: [0], requestTimeoutMs: 50 };
    localStorage.removeItem(AUTHOR_STORAGE_KEY);
    socket = new FakeSocket();
    socket.connected = true;
    server = new FakeUploadServer();
    socket.handler = server.handle;
    revoked = [];
    // Stands in for the canvas re-encode: a "smaller copy" is the first half of the bytes.
    downscaler = jasmine.createSpy<Downscaler>('downscaler').and.callFake(async (file, options) =>
      options.aboveBytes !== null && file.size > options.aboveBytes
        ? { blob: file.slice(0, file.size / 2, 'image/jpeg'), name: 'small.jpg', downscaled: true }
        : { blob: file, name: file.name, downscaled: false },
    );
    const realRevoke = URL.revokeObjectURL.bind(URL);
    spyOn(URL, 'revokeObjectURL').and.callFake((url: string) => {
      revoked.push(url);
      realRevoke(url);
    });
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideRouter([]),
        { provide: REALTIME_SOCKET_FACTORY, useValue: () => socket },
        { provide: UPLOAD_TUNING, useValue: tuning },
        { provide: DOWNSCALER, useFactory: () => downscaler },
        { provide: PENDING_UPLOADS_DB, useValue: null },
      ],
    });
  });

  afterEach(() => localStorage.removeItem(AUTHOR_STORAGE_KEY));

  async function render(): Promise<HTMLElement> {
    fixture = TestBed.createComponent(UploadPage);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  const q = (root: HTMLElement, id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  const qa = (root: HTMLElement, id: string) => Array.from(root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`));

  async function pick(root: HTMLElement, ...files: File[]): Promise<void> {
    const input = q(root, 'file-input') as HTMLInputElement;
    const transfer = new DataTransfer();
    for (const file of files) transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event('change'));
    await fixture.whenStable();
  }

  async function type(element: HTMLElement | null, value: string): Promise<void> {
    const field = element as HTMLInputElement | HTMLTextAreaElement;
    field.value = value;
    field.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }

  async function clickUploadAndSettle(root: HTMLElement): Promise<void> {
    q(root, 'upload-button')!.click();
    await flush(20);
    await fixture.whenStable();
  }

  const jpeg = (name: string, size = 1000) => new File([patternBytes(size)], name, { type: 'image/jpeg' });

  it('offers a multi-file picker limited to the accepted photo types (no HEIC)', async () => {
    const input = q(await render(), 'file-input') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.multiple).toBeTrue();
    expect(input.accept).toBe(ACCEPTED_MIME_TYPES.join(','));
    expect(input.accept).not.toContain('heic');
  });

  it('shows a row with a preview, caption box and progress bar for each picked photo', async () => {
    const root = await render();
    await pick(root, jpeg('a.jpg'), jpeg('b.jpg'));

    const rows = qa(root, 'upload-item');
    expect(rows.length).toBe(2);
    for (const row of rows) {
      expect(row.querySelector('img')?.getAttribute('src')).toMatch(/^blob:/);
      expect(row.querySelector('[data-testid="caption-input"]')).not.toBeNull();
      expect(row.querySelector('[data-testid="upload-progress"]')).not.toBeNull();
      expect(row.querySelector('[data-testid="upload-done"]')).toBeNull();
    }
    expect(q(root, 'upload-button')?.textContent).toContain('Upload 2 photos');
  });

  it('remembers the name on this device and fills it in next time', async () => {
    const first = await render();
    await type(q(first, 'author-input'), 'Aunt Maria');
    expect(localStorage.getItem(AUTHOR_STORAGE_KEY)).toBe('Aunt Maria');
    fixture.destroy();

    const second = await render();
    expect((q(second, 'author-input') as HTMLInputElement).value).toBe('Aunt Maria');
  });

  it('uploads each photo with its caption and the name, then says they are on the wall', async () => {
    const root = await render();
    await type(q(root, 'author-input'), 'Ana');
    await pick(root, jpeg('a.jpg', 3000), jpeg('b.jpg', 10));
    await type(root.querySelector('[data-testid="caption-input"]'), 'First dance');

    await clickUploadAndSettle(root);

    const begins = socket.requests('upload:begin');
    expect(begins.map((b) => [b.name, b.caption, b.author])).toEqual([
      ['a.jpg', 'First dance', 'Ana'],
      ['b.jpg', '', 'Ana'],
    ]);
    expect(qa(root, 'upload-done').length).toBe(2);
    expect(qa(root, 'upload-error')).toEqual([]);
    expect((qa(root, 'upload-progress')[0] as HTMLProgressElement).value).toBe(100);
    expect(q(root, 'upload-success')?.textContent).toContain('Your photos are on the wall');
  });

  it('links to My photos from the header, and after an upload offers to see or edit them, and to see all the photos', async () => {
    const root = await render();
    expect(q(root, 'my-photos-link')?.textContent?.trim()).toBe('My photos');
    expect(q(root, 'my-photos-link')?.getAttribute('href')).toBe('/mine');
    expect(q(root, 'see-my-photos')).toBeNull();

    await pick(root, jpeg('a.jpg'));
    await clickUploadAndSettle(root);

    const link = q(root, 'see-my-photos');
    expect(link?.textContent?.trim()).toBe('See or edit my photos');
    expect(link?.getAttribute('href')).toBe('/mine');
    expect(q(root, 'upload-success')?.contains(link)).toBeTrue();
    const photos = q(root, 'see-the-photos');
    expect(photos?.textContent?.trim()).toBe('See the photos');
    expect(photos?.getAttribute('href')).toBe('/gallery');
  });

  it('shows a human message on the row when the server refuses a photo, and no success marker', async () => {
    server.intercept = (event, payload) =>
      event === 'upload:begin' && payload.name === 'bad.jpg'
        ? err(ErrorCode.UnsupportedType, 'magic bytes mismatch')
        : undefined;
    const root = await render();
    await pick(root, jpeg('bad.jpg'), jpeg('good.jpg'));

    await clickUploadAndSettle(root);

    const [bad, good] = qa(root, 'upload-item');
    expect(bad?.querySelector('[data-testid="upload-error"]')?.textContent?.trim()).toBe(
      "That file isn't a photo we can show (JPEG, PNG, WebP or GIF).",
    );
    expect(bad?.querySelector('[data-testid="upload-done"]')).toBeNull();
    expect(good?.querySelector('[data-testid="upload-done"]')).not.toBeNull();
    expect(q(root, 'upload-success')).toBeNull();
  });

  it('flags a HEIC photo with advice before trying to upload it', async () => {
    const root = await render();
    await pick(root, new File([patternBytes(10)], 'IMG_0001.HEIC', { type: 'image/heic' }));
    expect(q(root, 'upload-error')?.textContent).toContain('Most Compatible');
  });

  it('blocks the upload while a caption is over the limit and shows the count', async () => {
    const root = await render();
    await pick(root, jpeg('a.jpg'));
    await type(q(root, 'caption-input'), '🎉'.repeat(501));
    expect(root.querySelector('.counter.over')?.textContent).toContain('501 / 500');
    expect((q(root, 'upload-button') as HTMLButtonElement).disabled).toBeTrue();
  });

  it('removes a photo and frees its preview', async () => {
    const root = await render();
    await pick(root, jpeg('a.jpg'), jpeg('b.jpg'));
    const preview = qa(root, 'upload-item')[0]!.querySelector('img')!.getAttribute('src');

    qa(root, 'remove-button')[0]!.click();
    await fixture.whenStable();

    expect(qa(root, 'upload-item').length).toBe(1);
    expect(revoked).toEqual([preview!]);
  });

  it('shows the host pause message, lets photos wait, and sends them when the host resumes', async () => {
    let paused = true;
    server.intercept = (event) => (event === 'upload:begin' && paused ? err(ErrorCode.UploadsPaused, 'Speeches!') : undefined);
    const root = await render();
    socket.serverSettings({ paused: true, pauseMessage: 'Speeches!' });
    await fixture.whenStable();
    expect(q(root, 'paused-banner')?.textContent).toContain('“Speeches!”');

    await pick(root, jpeg('a.jpg'));
    await clickUploadAndSettle(root);
    expect(q(root, 'upload-waiting')?.textContent).toContain('Waiting for the host');
    expect(qa(root, 'upload-error')).toEqual([]);

    paused = false;
    socket.serverSettings({ paused: false });
    await flush(20);
    await fixture.whenStable();
    expect(q(root, 'paused-banner')).toBeNull();
    expect(qa(root, 'upload-done').length).toBe(1);
  });

  it("tells the guest the photo waits on the phone while the wall's storage is full, then sends it and clears that", async () => {
    tuning.retryDelaysMs = [0, 40]; // the steady wait for room is the last step
    let full = true;
    server.intercept = (event) => (event === 'upload:begin' && full ? err(ErrorCode.StorageFull, 'Disk at reserve.') : undefined);
    const root = await render();
    await pick(root, jpeg('a.jpg'));
    await clickUploadAndSettle(root);

    expect(q(root, 'storage-full-banner')?.textContent).toContain(
      'Your photo stays queued on this phone and goes out as soon as the host makes room — keep this page open.',
    );
    expect(q(root, 'upload-waiting-for-room')?.textContent).toContain('waiting for room on the wall');
    expect(q(root, 'upload-button')?.textContent).toContain('Waiting for room on the wall');
    expect(qa(root, 'upload-error')).toEqual([]);
    expect(qa(root, 'upload-done')).toEqual([]);

    full = false;
    await new Promise((resolve) => setTimeout(resolve, 120));
    await flush(20);
    await fixture.whenStable();
    expect(q(root, 'storage-full-banner')).toBeNull();
    expect(q(root, 'upload-waiting-for-room')).toBeNull();
    expect(qa(root, 'upload-done').length).toBe(1);
    expect(qa(root, 'upload-error')).toEqual([]);
  });

  it('sends two photos at a time', async () => {
    // Begins are answered only once two wait (or the third, the last, has come).
    const slow = heldHandler(server.handle, 'upload:begin', 2, 3);
    socket.handler = slow.handler;
    const root = await render();
    await pick(root, jpeg('a.jpg'), jpeg('b.jpg'), jpeg('c.jpg'));
    q(root, 'upload-button')!.click();
    await until(() => {
      fixture.detectChanges();
      return qa(root, 'upload-done').length === 3;
    }, 'three photos done', 10_000);
    await fixture.whenStable();
    expect(slow.maxInFlight()).toBe(2);
    expect(qa(root, 'upload-done').length).toBe(3);
  });

  it('sends a smaller copy of a photo above the host threshold, and the same copy again on retry', async () => {
    // INTERNAL on every commit of the first run outlasts the retry budget, so the row fails.
    let failCommit = true;
    server.intercept = (event, payload) => {
      if (event !== 'upload:commit' || !failCommit || server.uploads.get(payload.uploadId)?.clientUploadId !== firstId()) return undefined;
      return err(ErrorCode.Internal, 'Oops');
    };
    const firstId = () => socket.requests('upload:begin')[0]?.clientUploadId;
    const root = await render();
    socket.serverSettings({ downscaleAboveBytes: 1000, downscaleMaxEdge: 2000 });
    await pick(root, jpeg('big.jpg', 4000), jpeg('small.jpg', 500));
    await clickUploadAndSettle(root);
    expect(qa(root, 'upload-error').length).toBe(1);

    failCommit = false;
    await clickUploadAndSettle(root);
    expect(qa(root, 'upload-done').length).toBe(2);
    expect(downscaler.calls.count()).toBe(2); // once per photo, not again on the retry
    expect(downscaler.calls.argsFor(0)[1]).toEqual({ aboveBytes: 1000, maxEdge: 2000 });
    const sizes = socket.requests('upload:begin').map((b) => [b.name, b.size]);
    expect(sizes).toContain(['small.jpg', 2000]);
    expect(sizes).toContain(['small.jpg', 500]);
  });

  it('sends originals when the guest turns smaller copies off', async () => {
    const root = await render();
    socket.serverSettings({ downscaleAboveBytes: 1000 });
    await pick(root, jpeg('big.jpg', 4000));
    const toggle = q(root, 'smaller-copies') as HTMLInputElement;
    toggle.checked = false;
    toggle.dispatchEvent(new Event('change'));
    await clickUploadAndSettle(root);
    expect(socket.requests('upload:begin').map((b) => [b.name, b.size])).toEqual([['big.jpg', 4000]]);
  });

  it('offers the camera as well as the gallery', async () => {
    const root = await render();
    const camera = q(root, 'camera-input') as HTMLInputElement;
    expect(camera.getAttribute('capture')).toBe('environment');
    expect(camera.accept).toBe(ACCEPTED_MIME_TYPES.join(','));
  });

  it('frees every preview when the page goes away', async () => {
    const root = await render();
    await pick(root, jpeg('a.jpg'), jpeg('b.jpg'));
    fixture.destroy();
    expect(revoked.length).toBe(2);
  });
});
