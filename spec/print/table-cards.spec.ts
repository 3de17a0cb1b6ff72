/**
 * The host's table cards (ADMIN_TABLE_CARDS_PATH): admin only, a PDF of the right paper with the
 * right number of cards, each with a QR code that a camera reads as the upload address.
 */
import { ADMIN_TABLE_CARDS_PATH, TABLE_CARD_INVITATION as INVITATION, tableCardSheet, type TableCardRequest } from '@photobook/shared';
import { signInAsAdmin } from '../fixtures/admin';
import { decodeCells, havePoppler, pdfPageSizes, pdfText, renderPdf } from '../fixtures/qr-pages';
import { guestCookie, startTestServer, type TestServer } from '../fixtures/server';

const PASSWORD = 'correct-horse-battery-staple';
/** PDF points: A4 is 595.28 x 841.89, Letter 612 x 792. */
const A4 = { width: 595.28, height: 841.89 };
const LETTER = { width: 612, height: 792 };

const count = (text: string, words: string) => text.split(words).length - 1;

describe('table cards (admin PDF)', () => {
  let server: TestServer;
  let cookie: string;
  let poppler = false;

  async function start(publicUrl: string | null): Promise<void> {
    server = await startTestServer({ adminPassword: PASSWORD, config: { publicUrl } });
    cookie = await signInAsAdmin(server.url, PASSWORD);
  }
  const get = (query: string, headers: Record<string, string> = { cookie }) => fetch(`${server.url}${ADMIN_TABLE_CARDS_PATH}${query}`, { headers });
  const lanUpload = () => `http://192.0.2.10:${new URL(server.url).port}/upload`;

  beforeAll(async () => {
    poppler = await havePoppler();
  });
  afterEach(async () => {
    await server?.close();
  });

  /** Downloads, checks the headers and the sheet, and returns what the camera and the text layer find. */
  async function sheetOf(request: TableCardRequest, pageSize: { width: number; height: number }) {
    const res = await get(`?size=${request.size}&paper=${request.paper}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('cache-control')).toBe('no-store');
    // Streamed as it is written: no length known up front.
    expect(res.headers.get('content-length')).toBeNull();
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const sizes = await pdfPageSizes(pdf);
    expect(sizes.length).withContext('one sheet').toBe(1);
    expect(sizes[0]!.width).toBeCloseTo(pageSize.width, 1);
    expect(sizes[0]!.height).toBeCloseTo(pageSize.height, 1);
    const { cols, rows } = tableCardSheet(request);
    // 100 dpi, as a cheap printer's scan would be: every card's code must read on its own.
    const [png] = await renderPdf(pdf, 100);
    return { res, codes: await decodeCells(png!, cols, rows), text: await pdfText(pdf) };
  }

  it('is for the host only: no cookie or a guest cookie answers 401, and nothing is rendered', async () => {
    await start(null);
    const anonymous: Record<string, string>[] = [{}, { cookie: guestCookie().cookie }, { cookie: 'pb_admin=forged.value' }];
    for (const headers of anonymous) {
      const res = await get('?size=a6&paper=a4', headers);
      expect(res.status).withContext(JSON.stringify(headers)).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect((await res.json()).code).toBe('UNAUTHORIZED');
    }
  });

  it('answers 400 BAD_REQUEST naming the parameter for a size, a paper or a repeated value it does not know', async () => {
    await start(null);
    const cases: [string, RegExp][] = [
      ['?size=a7&paper=a4', /^size must be one of a6, a5 \(got "a7"\)/],
      ['?size=a6&paper=legal', /^paper must be one of a4, letter \(got "legal"\)/],
      ['?size=A6', /^size must be one of a6, a5/],
      ['?size=a6&size=a5', /^size must be one of a6, a5 \(got more than one value\)/],
      [`?paper=${'x'.repeat(500)}`, /^paper must be one of a4, letter \(got "x{20}…"\)\.$/],
    ];
    for (const [query, message] of cases) {
      const res = await get(query);
      expect(res.status).withContext(query).toBe(400);
      const body = await res.json();
      expect(body.code).withContext(query).toBe('BAD_REQUEST');
      expect(body.message).withContext(query).toMatch(message);
    }
  });

  it('prints 4 A6 cards on an A4 sheet, each code reading as the LAN upload address, with the title and the short address', async () => {
    if (!poppler) return pending('poppler-utils is not installed');
    await start(null);
    await server.app.settings.changeSettings({ title: 'Anna & Ben’s wedding 婚礼' });
    const { res, codes, text } = await sheetOf({ size: 'a6', paper: 'a4' }, A4);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="table-cards-a6.pdf"');
    expect(codes).toEqual([lanUpload(), lanUpload(), lanUpload(), lanUpload()]);
    expect(count(text, INVITATION)).toBe(4);
    expect(count(text, `192.0.2.10:${new URL(server.url).port}/upload`)).toBe(4);
    expect(text).not.toContain('http://');
    expect(count(text, 'Anna & Ben’s wedding')).toBe(4);
    expect(count(text, '婚礼')).withContext('the Chinese part of the title, in its own font').toBe(4);
  });

  it('prints 2 A5 cards side by side on a landscape A4 sheet; with PUBLIC_URL, its address and never the IP', async () => {
    if (!poppler) return pending('poppler-utils is not installed');
    await start('https://party.example.com');
    const { res, codes, text } = await sheetOf({ size: 'a5', paper: 'a4' }, { width: A4.height, height: A4.width });
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="table-cards-a5.pdf"');
    expect(codes).toEqual(['https://party.example.com/upload', 'https://party.example.com/upload']);
    expect(count(text, 'party.example.com/upload')).toBe(2);
    expect(count(text, INVITATION)).toBe(2);
    expect(text).not.toContain('192.0.2.10');
  });

  it('prints on US Letter too: 4 quarter-letter cards, or 2 half-letter ones', async () => {
    if (!poppler) return pending('poppler-utils is not installed');
    await start('https://party.example.com');
    const quarters = await sheetOf({ size: 'a6', paper: 'letter' }, LETTER);
    expect(quarters.res.headers.get('content-disposition')).toBe('attachment; filename="table-cards-a6-letter.pdf"');
    expect(quarters.codes).toEqual(Array(4).fill('https://party.example.com/upload'));
    const halves = await sheetOf({ size: 'a5', paper: 'letter' }, { width: LETTER.height, height: LETTER.width });
    expect(halves.codes).toEqual(Array(2).fill('https://party.example.com/upload'));
    expect(count(halves.text, INVITATION)).toBe(2);
  });

  it('makes the code 60% of the card wide: at least 60 mm on A6, bigger on A5', () => {
    expect(tableCardSheet({ size: 'a6', paper: 'a4' })).toEqual({
      sheetMm: { width: 210, height: 297 },
      cols: 2,
      rows: 2,
      cardMm: { width: 105, height: 148.5 },
      qrMm: 63,
    });
    expect(tableCardSheet({ size: 'a5', paper: 'a4' }).qrMm).toBe(89.1);
    expect(tableCardSheet({ size: 'a6', paper: 'letter' }).qrMm).toBeGreaterThanOrEqual(60);
  });
});
