import { AdminHarness } from './testing/admin-harness';

/** The Print view's table cards: the choice of size and paper, one card as it prints, and the download. */
describe('Table card panel', () => {
  let page: AdminHarness;
  const download = () => page.q<HTMLAnchorElement>('table-card-download')!;
  const pick = (id: string) => page.click(page.q(id));

  beforeEach(() => (page = new AdminHarness()));

  it('offers A6 cards on A4 by default, as a download of the PDF', async () => {
    await page.render('/admin/print');
    expect(page.q('table-card-panel')).not.toBeNull();
    expect(page.q<HTMLInputElement>('table-card-size-a6')!.checked).toBeTrue();
    expect(page.q<HTMLInputElement>('table-card-paper-a4')!.checked).toBeTrue();
    expect(download().getAttribute('href')).toBe('/api/admin/table-cards.pdf?size=a6&paper=a4');
    expect(download().hasAttribute('download')).toBeTrue();
    expect(page.text('table-card-layout')).toBe('4 A6 cards per A4 sheet, each 105 x 148.5 mm; code 63 mm wide.');
  });

  it('follows the size and the paper the host picks, in the link and in the words', async () => {
    await page.render('/admin/print');
    await pick('table-card-size-a5');
    expect(download().getAttribute('href')).toBe('/api/admin/table-cards.pdf?size=a5&paper=a4');
    expect(page.text('table-card-layout')).toBe('2 A5 cards per A4 sheet, each 148.5 x 210 mm; code 89 mm wide.');

    await pick('table-card-paper-letter');
    expect(download().getAttribute('href')).toBe('/api/admin/table-cards.pdf?size=a5&paper=letter');
    expect(page.text('table-card-layout')).toBe('2 Half letter cards per US Letter sheet, each 139.7 x 215.9 mm; code 84 mm wide.');
    expect(page.root.textContent).toContain('Quarter letter');

    await pick('table-card-size-a6');
    expect(download().getAttribute('href')).toBe('/api/admin/table-cards.pdf?size=a6&paper=letter');
  });

  it('shows the short address guests will type, as the server gives it to phones (no http://)', async () => {
    page.joinInfo = { uploadUrl: 'https://party.example.com/upload' };
    await page.render('/admin/print');
    expect(page.text('table-card-address')).toBe('party.example.com/upload');
    expect(page.q('table-card-preview')!.textContent).toContain('party.example.com/upload');
    expect(page.root.querySelector('[data-testid="table-card-panel"]')!.textContent).not.toContain('https://');
  });

  it('previews one card with the event title, the code, the invitation and the address, in the card’s shape', async () => {
    await page.render('/admin/print');
    const preview = page.q('table-card-preview')!;
    expect(page.text('table-card-title')).toBe('Anna & Ben');
    expect(preview.querySelector('img')!.getAttribute('src')).toBe('/api/join/qr.svg');
    expect(preview.textContent).toContain('Scan to add your photos to the wall');
    expect(preview.textContent).toContain('192.168.1.20:3000/upload');
    const box = preview.getBoundingClientRect();
    expect(box.height / box.width).toBeCloseTo(148.5 / 105, 1);
    const qr = preview.querySelector('img')!.getBoundingClientRect();
    expect(qr.width / box.width).toBeCloseTo(0.6, 1);
  });

  it('leaves the title out of the preview when the event has none, and follows a new one live', async () => {
    page.server.state = { ...page.server.state, settings: { ...page.server.state.settings, title: '' } };
    await page.render('/admin/print');
    expect(page.q('table-card-title')).toBeNull();
    page.socket.serverEmit('state:changed', { ...page.server.state, settings: { ...page.server.state.settings, title: 'Gala night' } });
    await page.settle();
    expect(page.text('table-card-title')).toBe('Gala night');
  });
});
