import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ErrorCode, err, ok } from '@photobook/shared';
import { FakeSocket, NO_REPLY, myPhoto, photo } from '../../testing/fake-socket';
import { ClientErrorCode } from './client-result';
import { REALTIME_SOCKET_FACTORY, RealtimeService } from './realtime.service';

describe('RealtimeService', () => {
  let socket: FakeSocket;
  let factory: jasmine.Spy<() => FakeSocket>;
  let service: RealtimeService;

  beforeEach(() => {
    socket = new FakeSocket();
    socket.connected = true;
    factory = jasmine.createSpy('socketFactory').and.callFake(() => socket);
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), { provide: REALTIME_SOCKET_FACTORY, useValue: factory }],
    });
    service = TestBed.inject(RealtimeService);
  });

  it('opens no socket until something needs it, then exactly one', async () => {
    expect(factory).not.toHaveBeenCalled();
    socket.handler = () => ok(null);
    await service.request('upload:abort', { uploadId: 'upload1xx' });
    await service.request('upload:abort', { uploadId: 'upload2xx' });
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it("resolves a request with the server's value and passes the timeout to the socket", async () => {
    socket.handler = (event, payload) => ok({ offset: payload.offset + 10, echoed: event });
    const result = await service.request('upload:chunk', { uploadId: 'u1234567', offset: 5, data: new ArrayBuffer(10) }, 1234);
    expect(result).toEqual({ ok: true, value: jasmine.objectContaining({ offset: 15, echoed: 'upload:chunk' }) });
    expect(socket.sent[0]?.timeoutMs).toBe(1234);
  });

  it('turns a missing ack into a NETWORK error instead of throwing', async () => {
    socket.handler = () => NO_REPLY;
    const result = await service.request('wall:join', { sinceSeq: null }, 10);
    expect(result.ok).toBeFalse();
    expect(!result.ok && result.error.code).toBe(ClientErrorCode.Network);
  });

  it('keeps the code and expectedOffset of a server error', async () => {
    socket.handler = () => err(ErrorCode.OffsetMismatch, 'Wrong offset.', { expectedOffset: 4096 });
    const result = await service.request('upload:chunk', { uploadId: 'u1234567', offset: 0, data: new ArrayBuffer(1) });
    expect(result).toEqual({
      ok: false,
      error: { code: ErrorCode.OffsetMismatch, message: 'Wrong offset.', expectedOffset: 4096 },
    });
  });

  it('treats a malformed ack or an unknown error code as INTERNAL', async () => {
    socket.handler = () => 'surprise';
    const malformed = await service.request('wall:join', { sinceSeq: null });
    socket.handler = () => ({ ok: false, error: { code: 'SOMETHING_NEW', message: 'x' } });
    const unknown = await service.request('wall:join', { sinceSeq: null });
    expect(!malformed.ok && malformed.error.code).toBe(ErrorCode.Internal);
    expect(!unknown.ok && unknown.error.code).toBe(ErrorCode.Internal);
  });

  it('reports every connect, including one that happened before subscribing, and tracks connected', () => {
    const seen: string[] = [];
    socket.connected = true;
    const subscription = service.connects$.subscribe(() => seen.push('connect'));
    expect(seen).toEqual(['connect']);

    socket.serverDisconnect();
    expect(service.connected()).toBeFalse();
    socket.serverConnect();
    expect(service.connected()).toBeTrue();
    expect(seen).toEqual(['connect', 'connect']);
    subscription.unsubscribe();
  });

  it('relays photo:added events to subscribers', () => {
    const received: string[] = [];
    const subscription = service.photoAdded$.subscribe((p) => received.push(p.id));
    socket.serverAddPhoto(photo(7));
    expect(received).toEqual([photo(7).id]);
    subscription.unsubscribe();
  });

  it('relays photo:updated, photo:removed, mine:updated and mine:removed to their own streams', () => {
    const seen: string[] = [];
    const subscriptions = [
      service.photoUpdated$.subscribe((p) => seen.push(`updated ${p.caption}`)),
      service.photoRemoved$.subscribe((p) => seen.push(`removed ${p.id}`)),
      service.mineUpdated$.subscribe((p) => seen.push(`mine ${p.state}`)),
      service.mineRemoved$.subscribe((p) => seen.push(`mine gone ${p.id}`)),
    ];
    socket.serverEmit('photo:updated', photo(2, { caption: 'New words' }));
    socket.serverEmit('photo:removed', { id: 'photo3xx', seq: 9 });
    socket.serverEmit('mine:updated', myPhoto(4, { state: 'hidden' }));
    socket.serverEmit('mine:removed', { id: 'photo4xx', seq: 10 });
    expect(seen).toEqual(['updated New words', 'removed photo3xx', 'mine hidden', 'mine gone photo4xx']);
    for (const subscription of subscriptions) subscription.unsubscribe();
  });

  it('relays feed:resumed, the replicas\' link coming back, to its own stream without a reconnect', () => {
    const seen: string[] = [];
    const subscriptions = [
      service.feedResumed$.subscribe(() => seen.push('resumed')),
      service.connects$.subscribe(() => seen.push('connect')),
    ];
    socket.serverEmit('feed:resumed', undefined);
    expect(seen).toEqual(['connect', 'resumed']);
    for (const subscription of subscriptions) subscription.unsubscribe();
  });

  it('waits for the connection before sending, and gives up with NETWORK when none comes', async () => {
    socket.connected = false;
    socket.handler = () => ok('sent');
    const waiting = service.request('wall:join', { sinceSeq: null }, 1000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(socket.sent).toEqual([]);
    socket.serverConnect();
    expect((await waiting) as unknown).toEqual({ ok: true, value: 'sent' });

    socket.serverDisconnect();
    const offline = await service.request('wall:join', { sinceSeq: null }, 20);
    expect(offline.ok ? null : offline.error.code).toBe(ClientErrorCode.Network);
    expect(socket.sent.length).toBe(1);
  });

  it('fails a pending request at once when the connection drops, without waiting for the timeout', async () => {
    socket.handler = () => new Promise(() => undefined);
    const started = Date.now();
    const pending = service.request('wall:join', { sinceSeq: null }, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    socket.serverDisconnect();
    const result = await pending;
    expect(result.ok ? null : result.error.code).toBe(ClientErrorCode.Network);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('keeps the latest settings the server sent, title and wall included, and replays them to a late subscriber', () => {
    expect(service.settings()).toBeNull();
    service.connect();
    socket.serverSettings({ paused: true, pauseMessage: 'Cake time', title: 'Anna & Ben', maxUploadBytes: 1234 });
    expect(service.settings()).toEqual(
      jasmine.objectContaining({ paused: true, pauseMessage: 'Cake time', title: 'Anna & Ben', maxUploadBytes: 1234 }),
    );

    socket.serverSettings({ title: 'Renamed', wall: { showCaptions: false } });
    expect(service.settings()?.title).toBe('Renamed');
    expect(service.settings()?.wall.showCaptions).toBeFalse();
    const seen: string[] = [];
    service.settings$.subscribe((settings) => seen.push(settings.title)).unsubscribe();
    expect(seen).toEqual(['Renamed']);
  });

  it('closes the socket when the app is torn down', async () => {
    socket.handler = () => ok(null);
    await service.request('upload:abort', { uploadId: 'upload1xx' });
    TestBed.resetTestingModule();
    expect(socket.closed).toBeTrue();
  });
});
