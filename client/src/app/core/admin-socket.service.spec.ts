import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ErrorCode, err, ok } from '@photobook/shared';
import { FakeAdminSocket, NO_REPLY } from '../admin/testing/fake-admin-socket';
import { ADMIN_SOCKET_FACTORY, AdminSocketService, type AdminSocketEnd } from './admin-socket.service';
import { ClientErrorCode } from './client-result';

describe('AdminSocketService', () => {
  let socket: FakeAdminSocket;
  let factory: jasmine.Spy<() => FakeAdminSocket>;
  let service: AdminSocketService;

  beforeEach(() => {
    socket = new FakeAdminSocket();
    factory = jasmine.createSpy('adminSocketFactory').and.callFake(() => socket);
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), { provide: ADMIN_SOCKET_FACTORY, useValue: factory }],
    });
    service = TestBed.inject(AdminSocketService);
  });

  it('opens no socket before sign-in, and a request then fails at once as NETWORK', async () => {
    const result = await service.request('admin:stats', {});
    expect(factory).not.toHaveBeenCalled();
    expect(result.ok ? null : result.error.code).toBe(ClientErrorCode.Network);
  });

  it('opens exactly one socket however often it is asked to', () => {
    service.open();
    service.open();
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it("resolves a request with the server's value and passes the timeout to the socket", async () => {
    service.open();
    socket.serverConnect();
    socket.handler = (event, payload) => ok({ event, payload });
    const result = await service.request('admin:changes', { sinceSeq: 4 }, 1234);
    expect(result).toEqual({ ok: true, value: { event: 'admin:changes', payload: { sinceSeq: 4 } } as never });
    expect(socket.sent[0]?.timeoutMs).toBe(1234);
  });

  it('turns a missing ack into a NETWORK error instead of throwing', async () => {
    service.open();
    socket.serverConnect();
    socket.handler = () => NO_REPLY;
    const result = await service.request('admin:stats', {}, 10);
    expect(result.ok ? null : result.error.code).toBe(ClientErrorCode.Network);
  });

  it('keeps a known server error code and treats an unknown one or a malformed ack as INTERNAL', async () => {
    service.open();
    socket.serverConnect();
    socket.handler = () => err(ErrorCode.NotFound, 'gone');
    const known = await service.request('admin:remove', { id: 'photo1xx' });
    socket.handler = () => ({ ok: false, error: { code: 'SOMETHING_NEW', message: 'x' } });
    const unknown = await service.request('admin:remove', { id: 'photo1xx' });
    socket.handler = () => 'surprise';
    const malformed = await service.request('admin:remove', { id: 'photo1xx' });
    expect(known).toEqual({ ok: false, error: { code: ErrorCode.NotFound, message: 'gone' } });
    expect(unknown.ok ? null : unknown.error.code).toBe(ErrorCode.Internal);
    expect(malformed.ok ? null : malformed.error.code).toBe(ErrorCode.Internal);
  });

  it('fails a pending request at once when the connection drops', async () => {
    service.open();
    socket.serverConnect();
    socket.handler = () => new Promise(() => undefined);
    const pending = service.request('admin:stats', {}, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 5));
    socket.serverDisconnect();
    const result = await pending;
    expect(result.ok ? null : result.error.code).toBe(ClientErrorCode.Network);
  });

  it('waits for the connection before sending', async () => {
    service.open();
    socket.handler = () => ok('sent');
    const waiting = service.request('admin:stats', {}, 1000);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(socket.sent).toEqual([]);
    socket.serverConnect();
    expect((await waiting) as unknown).toEqual({ ok: true, value: 'sent' });
  });

  it('tracks the connection and reports every (re)connect', () => {
    const seen: string[] = [];
    service.open();
    const subscription = service.connects$.subscribe(() => seen.push('connect'));
    socket.serverConnect();
    expect(service.connected()).toBeTrue();
    socket.serverDisconnect();
    expect(service.connected()).toBeFalse();
    socket.serverConnect();
    expect(seen).toEqual(['connect', 'connect']);
    subscription.unsubscribe();
  });

  it('relays photos:changed and state:changed', () => {
    const seen: unknown[] = [];
    service.open();
    service.photosChanged$.subscribe((fact) => seen.push(fact));
    service.stateChanged$.subscribe((state) => seen.push(state.uploads.paused));
    socket.serverEmit('photos:changed', { seq: 12 });
    socket.serverEmit('state:changed', {
      uploads: { paused: true, pauseMessage: '', approvalRequired: false },
      settings: {} as never,
      limits: { maxUploadMb: 50, maxUploadsPerGuest: 6 },
    });
    expect(seen).toEqual([{ seq: 12 }, true]);
  });

  for (const [what, act, reason] of [
    ['a refused handshake (unauthorized)', (s: FakeAdminSocket) => s.refuseHandshake('unauthorized'), 'unauthorized'],
    ['a disconnect by the server', (s: FakeAdminSocket) => s.serverDisconnect('io server disconnect'), 'server-disconnect'],
  ] as const) {
    it(`ends the session on ${what} and closes the socket`, () => {
      const ends: AdminSocketEnd[] = [];
      service.ended$.subscribe((end) => ends.push(end));
      service.open();
      socket.serverConnect();
      act(socket);
      expect(ends).toEqual([reason]);
      expect(socket.closed).toBeTrue();
      expect(service.isOpen).toBeFalse();
    });
  }

  it('keeps the session through a network drop or another handshake error (socket.io reconnects)', () => {
    const ends: AdminSocketEnd[] = [];
    service.ended$.subscribe((end) => ends.push(end));
    service.open();
    socket.serverConnect();
    socket.serverDisconnect('transport close');
    socket.refuseHandshake('xhr poll error');
    expect(ends).toEqual([]);
    expect(socket.closed).toBeFalse();
  });

  it('closes the socket on close() and when the app is torn down', () => {
    service.open();
    service.close();
    expect(socket.closed).toBeTrue();
    const second = new FakeAdminSocket();
    factory.and.callFake(() => second);
    service.open();
    TestBed.resetTestingModule();
    expect(second.closed).toBeTrue();
  });
});
