/**
 * Share links (/p/:id) and the host's switch for them. Real server on port 0, on either store
 * (STORE=mongo runs this file on FerretDB too); downloads are in guest-downloads.spec.ts.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { expectGone, share } from '../fixtures/shared-photos';
import { useServerWithGuests } from '../fixtures/server';

/** Every <meta> of a page by its property or name, entities decoded as a browser would. */
function metaTags(html: string): Record<string, string> {
  const decode = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
  const tags: Record<string, string> = {};
  for (const m of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)">/g)) tags[m[1]!] = decode(m[2]!);
  return tags;
}

/** fetch() will not send a custom Host header, so this one uses node:http. */
function getWithHost(url: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { host } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('share links (/p/:id)', () => {
  const env = useServerWithGuests();
  const page = (id: string) => `${env.server.url}/p/${id}`;

  it('gives messengers Open Graph and Twitter tags with an absolute og:image of the display variant', async () => {
    await env.server.app.settings.changeSettings({ title: 'Anna & Ben' });
    const { photo } = await share(env);
    const response = await fetch(page(photo.id));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const html = await response.text();
    const tags = metaTags(html);
    const port = new URL(env.server.url).port;
    // Opened on loopback (as here): the LAN address, as the wall's QR code does.
    const origin = `http://192.0.2.10:${port}`;
    expect(tags).toEqual(
      jasmine.objectContaining({
        'og:type': 'website',
        'og:site_name': 'Anna & Ben',
        'og:title': 'A photo from Anna & Ben',
        'og:description': 'First dance — Ana',
        'og:url': `${origin}/p/${photo.id}`,
        'og:image': `${origin}${photo.displayUrl}`,
        'og:image:type': 'image/webp',
        'og:image:width': String(photo.width),
        'og:image:height': String(photo.height),
        'twitter:card': 'summary_large_image',
        'twitter:title': 'A photo from Anna & Ben',
        'twitter:description': 'First dance — Ana',
        'twitter:image': `${origin}${photo.displayUrl}`,
      }),
    );
    expect([photo.width, photo.height]).withContext('the upright display size').toEqual([400, 600]);
    expect(html).toContain('<title>A photo from Anna &#38; Ben</title>');
    expect(html).toMatch(new RegExp(`<img src="${photo.displayUrl}" width="400" height="600"`));
    expect(html).toContain('href="/gallery">See all the photos</a>');
    expect(html).toContain('href="/upload">Add yours</a>');
    const image = await fetch(env.server.url + new URL(tags['og:image']!).pathname);
    expect([image.status, image.headers.get('content-type')]).withContext('the og:image itself').toEqual([200, 'image/webp']);
    const named = metaTags(await getWithHost(page(photo.id), `party.lan:${port}`));
    expect(named['og:image']).withContext('opened by name').toBe(`http://party.lan:${port}${photo.displayUrl}`);
  });

  it('passes its own strict policy: no script at all, and only its one stylesheet, by hash', async () => {
    const { photo } = await share(env);
    const response = await fetch(page(photo.id));
    const csp = response.headers.get('content-security-policy')!;
    const html = await response.text();
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles.length).toBe(1);
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(styles[0]!).digest('base64')}'`);
    expect(html).not.toMatch(/<script|<link rel="stylesheet"|https?:\/\/(?!192\.0\.2\.10)/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const app = await fetch(`${env.server.url}/upload`);
    expect(app.headers.get('content-security-policy')).withContext('the app keeps its own policy').toContain("script-src 'self'");
  });

  it('keeps guest input inert: a script, quotes and tags in a caption, a name or the title come out as text', async () => {
    const caption = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const author = `O'Brien "Bob" </title><b>`;
    await env.server.app.settings.changeSettings({ title: '</title><script>alert(3)</script>' });
    const { photo, uid } = await share(env, { caption, author });
    const html = await (await fetch(page(photo.id))).text();
    expect(html).not.toMatch(/<script|<img src=x|<b>|onerror=alert\(2\)>/);
    expect(html.match(/<title>/g)?.length).toBe(1);
    const tags = metaTags(html);
    expect(tags['og:description']).withContext('read back as the guest wrote it').toBe(`${caption} — ${author}`);
    expect(tags['og:title']).toBe('A photo from </title><script>alert(3)</script>');
    expect(html).toContain('&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;');
    // Who sent it stays on the server: no cookie id, no owner key, no alias number.
    expect(html).not.toContain(uid);
    expect(html).not.toContain(env.server.app.ownerKeys.keyOf(uid));
    expect(html).not.toMatch(/Guest \d|guest/);
  });

  it('says something sensible when the guest wrote neither caption nor name', async () => {
    const { photo } = await share(env, { caption: '', author: '' });
    const tags = metaTags(await (await fetch(page(photo.id))).text());
    expect(tags['og:title']).toBe('A photo from the party');
    expect(tags['og:description']).toBe('See every photo from the party, and add yours.');
    expect(tags['og:site_name']).toBe('Photobook');
  });

  it('answers 404 at once, never cached, for an unknown, pending, hidden or removed photo', async () => {
    const { app } = env.server;
    await expectGone(page('noSuchPhoto123'), 'unknown');
    const hidden = (await share(env)).photo;
    expect((await fetch(page(hidden.id))).status).toBe(200);
    expect((await app.photos.moderate({ id: hidden.id, state: 'hidden' })).ok).toBeTrue();
    await expectGone(page(hidden.id), 'hidden');
    const removed = (await share(env)).photo;
    expect((await app.photos.remove({ kind: 'host' }, { id: removed.id })).ok).toBeTrue();
    await expectGone(page(removed.id), 'removed');
    await app.settings.requireApproval(true);
    const pending = (await share(env)).photo;
    await expectGone(page(pending.id), 'pending');
    expect((await app.photos.moderate({ id: pending.id, state: 'visible' })).ok).toBeTrue();
    expect((await fetch(page(pending.id))).status).withContext('approved').toBe(200);
  });

  it('answers 404 for every link while the host has share links off, and serves them again once on', async () => {
    const { photo } = await share(env);
    expect((await env.server.app.settings.changeSettings({ shareLinks: false })).ok).toBeTrue();
    await expectGone(page(photo.id), 'switched off');
    expect((await fetch(`${page(photo.id)}/download`)).status).withContext('downloads follow their own switch').toBe(200);
    expect((await env.server.app.settings.changeSettings({ shareLinks: true })).ok).toBeTrue();
    expect((await fetch(page(photo.id))).status).toBe(200);
  });

  it('answers an id that cannot be one with 404 without asking the store, and never with the app', async () => {
    const reads = spyOn(env.server.store, 'getPhoto').and.callThrough();
    for (const id of ['x', '$where', 'a'.repeat(65), 'abc%20defgh']) await expectGone(page(id), id);
    expect(reads).not.toHaveBeenCalled();
    for (const path of ['/p', '/p/', '/p/abcdefgh/more', '/p/abcdefgh/download/x']) {
      const response = await fetch(env.server.url + path);
      expect(response.status).withContext(path).toBe(404);
    }
  });

  it('answers HEAD like GET, without a body', async () => {
    const { photo } = await share(env);
    const head = await fetch(page(photo.id), { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type')?.split(';')[0], await head.text()]).toEqual([200, 'text/html', '']);
    const missing = await fetch(page('noSuchPhoto123'), { method: 'HEAD' });
    expect([missing.status, missing.headers.get('cache-control'), await missing.text()]).toEqual([404, 'no-store', '']);
  });
});

describe('share links behind PUBLIC_URL', () => {
  const env = useServerWithGuests({ config: { publicUrl: 'https://photos.example.com/' } });

  it('makes og:image and og:url absolute on the public address', async () => {
    const { photo } = await share(env);
    const tags = metaTags(await (await fetch(`${env.server.url}/p/${photo.id}`)).text());
    expect(tags['og:image']).toBe(`https://photos.example.com${photo.displayUrl}`);
    expect(tags['twitter:image']).toBe(`https://photos.example.com${photo.displayUrl}`);
    expect(tags['og:url']).toBe(`https://photos.example.com/p/${photo.id}`);
  });
});
