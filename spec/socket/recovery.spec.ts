/** Recovery codes: owning one's photos again on another browser, and guessing that gets nowhere. */
import { embeddedOnly } from '../fixtures/spec-store';
import { ErrorCode, type MyPhotoDto } from '@photobook/shared';
import { noisyJpeg } from '../fixtures/hostile-files';
import { guestCookie, request, uploadFile, useServerWithGuests, type TestSocket } from '../fixtures/server';

const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

describe('recovery codes over Socket.IO', () => {
  const suite = useServerWithGuests();
  const connect = (cookie?: string) => suite.connect(cookie);
  const mine = async (socket: TestSocket) => {
    const listed = await request<MyPhotoDto[]>(socket, 'mine:list', {});
    if (!listed.ok) throw new Error(listed.error.code);
    return listed.value.map((p) => p.caption);
  };


  it('gives another browser the same photos with the code, at once and on its later connections', async () => {
    const a = await connect(guestCookie().cookie);
    await uploadFile(a, await noisyJpeg(200, 150), { caption: 'From phone A' });
    const issued = await request<{ code: string }>(a, 'owner:code', {});
    if (!issued.ok) throw new Error(issued.error.code);
    expect(issued.value.code).toMatch(/^[2-9A-HJ-NP-TV-Z]{4}-[2-9A-HJ-NP-TV-Z]{4}-[2-9A-HJ-NP-TV-Z]{4}-[2-9A-HJ-NP-TV-Z]$/);

    const bCookie = guestCookie().cookie;
    const b = await connect(bCookie);
    expect(await mine(b)).toEqual([]);
    const typed = issued.value.code.toLowerCase().replace(/-/g, ' ');
    const recovered = await request<{ photos: number }>(b, 'owner:recover', { code: typed });
    expect(recovered.ok && recovered.value.photos).toBe(1);
    expect(await mine(b)).toEqual(['From phone A']);
    const [photo] = await suite.server.store.listPhotos(1);
    expect(code(await request(b, 'photo:update', { id: photo!.id, caption: 'Edited on B' }))).toBe('ok');
    const bLater = await connect(bCookie);
    expect(await mine(bLater)).toEqual(['Edited on B']);
  });

  it('moves what the recovering browser had uploaded to the same owner', async () => {
    const a = await connect(guestCookie().cookie);
    await uploadFile(a, await noisyJpeg(200, 150), { caption: 'A' });
    const issued = await request<{ code: string }>(a, 'owner:code', {});
    const b = await connect(guestCookie().cookie);
    await uploadFile(b, await noisyJpeg(150, 200), { caption: 'B before' });
    await request(b, 'owner:recover', { code: issued.ok ? issued.value.code : '' });
    expect((await mine(a)).sort()).toEqual(['A', 'B before']);
  });

  it('stops an old code working once a new one is made', async () => {
    const a = await connect(guestCookie().cookie);
    const first = await request<{ code: string }>(a, 'owner:code', {});
    const second = await request<{ code: string }>(a, 'owner:code', {});
    expect(first.ok && second.ok && first.value.code !== second.value.code).toBeTrue();
    const b = await connect(guestCookie().cookie);
    expect(code(await request(b, 'owner:recover', { code: first.ok ? first.value.code : '' }))).toBe(ErrorCode.RecoveryCodeInvalid);
    expect(code(await request(b, 'owner:recover', { code: second.ok ? second.value.code : '' }))).toBe('ok');
  });

  it('answers malformed codes with RECOVERY_CODE_INVALID and limits wrong guesses with RATE_LIMITED, even for the right code', async () => {
    const a = await connect(guestCookie().cookie);
    const issued = await request<{ code: string }>(a, 'owner:code', {});
    const b = await connect(guestCookie().cookie);
    const wrong = [{ code: 'AAAA-AAAA-AAAA-A' }, { code: { $ne: '' } }, { code: 'x'.repeat(100_000) }, 'nope', { code: 'AAAA-AAAA-AAAA-2' }];
    for (const payload of wrong) expect(code(await request(b, 'owner:recover', payload))).toBe(ErrorCode.RecoveryCodeInvalid);
    expect(code(await request(b, 'owner:recover', { code: issued.ok ? issued.value.code : '' }))).toBe(ErrorCode.RateLimited);
    const c = await connect(guestCookie().cookie);
    expect(code(await request(c, 'owner:recover', { code: issued.ok ? issued.value.code : '' }))).withContext('another browser').toBe('ok');
  });

  it('stores only a hash of the code and never the guest id', async () => {
    const { cookie, uid } = guestCookie();
    const a = await connect(cookie);
    await uploadFile(a, await noisyJpeg(120, 90));
    const issued = await request<{ code: string }>(a, 'owner:code', {});
    embeddedOnly('reads the SQLite file itself');
    await suite.server.stop();
    const { readFile } = await import('node:fs/promises');
    const raw = (await readFile(`${suite.server.dataDir}/photobook.sqlite`)).toString('latin1') + (await readFile(`${suite.server.dataDir}/photobook.sqlite-wal`).catch(() => Buffer.alloc(0))).toString('latin1');
    const symbols = issued.ok ? issued.value.code.replace(/-/g, '') : 'missing';
    expect(raw).not.toContain(symbols);
    expect(raw).not.toContain(issued.ok ? issued.value.code : 'missing');
    expect(raw).not.toContain(uid);
  });
});
