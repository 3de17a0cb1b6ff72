import { OWNER_COOKIE, OwnerCookie } from '../../server/http/owner-cookie';

describe('the owner cookie', () => {
  const cookies = new OwnerCookie('s'.repeat(40), false);

  const valueOf = (header: string) => header.split(';')[0]!;

  it('issues a random 128-bit id in a signed, HttpOnly, SameSite=Lax cookie', () => {
    const { uid, header } = cookies.issue();
    expect(uid).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(header).toContain(`${OWNER_COOKIE}=${uid}.`);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Lax');
    expect(cookies.issue().uid).not.toBe(uid);
  });

  it('reads back the id it issued', () => {
    const { uid, header } = cookies.issue();
    expect(cookies.read(`other=1; ${valueOf(header)}`)).toBe(uid);
  });

  it('refuses a forged, re-signed or malformed cookie', () => {
    const { header } = cookies.issue();
    const [name, value] = valueOf(header).split('=') as [string, string];
    const [, signature] = value.split('.');
    expect(cookies.read(`${name}=AAAAAAAAAAAAAAAAAAAAAA.${signature}`)).toBeNull();
    const other = new OwnerCookie('t'.repeat(40), false).issue();
    expect(cookies.read(valueOf(other.header))).toBeNull();
    expect(cookies.read(`${name}=nodot`)).toBeNull();
    expect(cookies.read(undefined)).toBeNull();
  });
});
