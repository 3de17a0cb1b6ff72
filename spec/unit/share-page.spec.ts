/** The share page's words and the download's file name, without a server. */
import type { PhotoDto } from '@photobook/shared';
import { downloadDisposition } from '../../server/share/download-name';
import { escapeHtml, gonePage, sharePageCsp, shareWords } from '../../server/share/share-page';

const photo = (caption: string, author: string): PhotoDto => ({
  id: 'abcdefgh12', seq: 3, caption, author, createdAt: 0, width: 10, height: 10, displayUrl: '/media/x.webp', thumbUrl: '/media/y.webp', guest: 4,
});

describe('the share page words', () => {
  it('escapes every character that could open a tag, an entity or leave an attribute', () => {
    expect(escapeHtml(`<a href='x' title="y">&amp;</a>`)).toBe('&#60;a href=&#39;x&#39; title=&#34;y&#34;&#62;&#38;amp;&#60;/a&#62;');
  });

  it('says who shared it and what they wrote, on one line', () => {
    expect(shareWords({ photo: photo('Cake!\n\nSo good', 'Ana'), title: 'Anna & Ben' })).toEqual({
      headline: 'A photo from Anna & Ben',
      description: 'Cake! So good — Ana',
      siteName: 'Anna & Ben',
    });
    expect(shareWords({ photo: photo('Cake!', ''), title: '' }).description).toBe('Cake!');
    expect(shareWords({ photo: photo('  ', 'Ana'), title: '' }).description).toBe('Shared by Ana.');
    expect(shareWords({ photo: photo('', ''), title: 'Zoë' }).description).toBe('See every photo from Zoë, and add yours.');
  });

  it('has a gone page that needs nothing from the request', () => {
    const gone = gonePage();
    expect(gone.html).toContain('<h1>This photo is no longer shared</h1>');
    expect(gone.csp).toBe(sharePageCsp(gone.html.match(/<style>([\s\S]*)<\/style>/)![1]!));
  });
});

describe('the download file name', () => {
  it('is the title as a slug, the photo number and the extension of its bytes', () => {
    expect(downloadDisposition('Anna & Ben', 41, 'image/jpeg')).toBe('attachment; filename="anna-ben-41.jpg"');
    expect(downloadDisposition('', 7, 'image/webp')).toBe('attachment; filename="photo-7.webp"');
    expect(downloadDisposition('Pool "party"', 2, 'image/png')).toBe('attachment; filename="pool-party-2.png"');
  });

  it('keeps letters beyond ASCII in filename*, percent-encoded as RFC 5987 says', () => {
    expect(downloadDisposition('婚礼', 5, 'image/jpeg')).toBe(`attachment; filename="photo-5.jpg"; filename*=UTF-8''%E5%A9%9A%E7%A4%BC-5.jpg`);
    expect(downloadDisposition("Zoë's (big) day", 1, 'image/jpeg')).toBe(
      `attachment; filename="zoe-s-big-day-1.jpg"; filename*=UTF-8''zo%C3%AB-s-big-day-1.jpg`,
    );
  });
});
