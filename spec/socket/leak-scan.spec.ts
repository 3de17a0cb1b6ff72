/**
 * Nothing that identifies a guest leaves the server towards anybody else: every payload a wall and a
 * second guest receive while the first guest uploads, edits, deletes and recovers is recorded, and
 * neither the guest's id, nor its key, nor the recovery code (or its hash) appears in any of it.
 */
import { createHash } from 'node:crypto';
import type { MyPhotoDto, WallSnapshot } from '@photobook/shared';
import { ownerRoom } from '../../server/realtime/rooms';
import { noisyJpeg } from '../fixtures/hostile-files';
import { guestCookie, request, uploadFile, useServerWithGuests, type TestSocket } from '../fixtures/server';

describe('leak scan: what a wall and another guest receive', () => {
  const suite = useServerWithGuests();
  const connect = (cookie?: string) => suite.connect(cookie);


  it('never carries the first guest’s id, key, room, recovery code or its hash', async () => {
    const received: unknown[] = [];
    const record = (socket: TestSocket) => socket.onAny((event: string, ...args: unknown[]) => received.push([event, ...args]));
    const wall = await connect(guestCookie().cookie);
    record(wall);
    received.push(await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: null }));
    const other = await connect(guestCookie().cookie);
    record(other);
    received.push(await request<MyPhotoDto[]>(other, 'mine:list', {}));

    const a = guestCookie();
    const guest = await connect(a.cookie);
    const first = await uploadFile(guest, await noisyJpeg(300, 200), { caption: 'One' });
    const second = await uploadFile(guest, await noisyJpeg(200, 300), { caption: 'Two' });
    if (!first.ok || !second.ok) throw new Error('upload failed');
    await request(guest, 'photo:update', { id: first.value.id, caption: 'One, edited' });
    await request(guest, 'photo:remove', { id: second.value.id });
    const issued = await request<{ code: string }>(guest, 'owner:code', {});
    if (!issued.ok) throw new Error(issued.error.code);
    const elsewhere = await connect(guestCookie().cookie);
    await request(elsewhere, 'owner:recover', { code: issued.value.code });
    await request(elsewhere, 'photo:update', { id: first.value.id, author: 'Ana' });

    // The other guest and the wall also try what a curious page would.
    received.push(await request(other, 'photo:update', { id: first.value.id, caption: 'x' }));
    received.push(await request(other, 'owner:recover', { code: 'AAAA-AAAA-AAAA-A' }));
    received.push(await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: 0 }));
    for (const url of [first.value.displayUrl, first.value.thumbUrl, '/api/join']) {
      const response = await fetch(suite.server.url + url, { headers: { cookie: guestCookie().cookie } });
      received.push([url, Object.fromEntries(response.headers as unknown as Iterable<[string, string]>), url.startsWith('/api') ? await response.text() : '']);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));

    const key = suite.server.app.ownerKeys.keyOf(a.uid);
    const symbols = issued.value.code.replace(/-/g, '');
    const secrets = {
      'guest id': a.uid,
      'owner key': key,
      'owner room': ownerRoom(key),
      'recovery code': issued.value.code,
      'recovery symbols': symbols,
      'code hash': suite.server.app.ownerKeys.codeHash(symbols),
      'sha256 of the id': createHash('sha256').update(a.uid).digest('hex'),
    };
    const everything = JSON.stringify(received);
    expect(received.length).withContext('the scan saw traffic').toBeGreaterThan(8);
    expect(everything).toContain('One, edited');
    for (const [name, secret] of Object.entries(secrets)) expect(everything.includes(secret)).withContext(name).toBeFalse();
  });
});
