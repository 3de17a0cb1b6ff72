import { AdminHarness, json, text } from './testing/admin-harness';
import { formatWait } from './format';

describe('Admin sign-in', () => {
  let page: AdminHarness;
  const password = () => page.q<HTMLInputElement>('password')!;
  const button = () => page.q<HTMLButtonElement>('sign-in-button')!;

  async function signIn(words: string): Promise<void> {
    await page.type(password(), words);
    page.q<HTMLFormElement>('sign-in-form')!.requestSubmit();
    await page.settle();
  }

  beforeEach(() => {
    page = new AdminHarness();
    page.signedIn = false;
  });

  it('shows a centered password card when there is no session, and opens no socket', async () => {
    await page.render();
    expect(page.q('sign-in-form')).not.toBeNull();
    expect(password().type).toBe('password');
    expect(password().getAttribute('autocomplete')).toBe('current-password');
    expect(page.sockets).toBe(0);
    expect(page.q('event-title')).toBeNull();
  });

  it('says "Wrong password" on 401, clears the field and keeps the card', async () => {
    await page.render();
    await signIn('nope');
    expect(page.fetchCalls.at(-1)).toEqual({ method: 'POST', body: { password: 'nope' } });
    expect(page.text('sign-in-error')).toContain('Wrong password');
    expect(password().value).toBe('');
    expect(password().getAttribute('aria-invalid')).toBe('true');
    expect(page.sockets).toBe(0);
  });

  it('is disabled while the answer is on its way', async () => {
    let answer: (response: Response) => void = () => undefined;
    page.signInAnswer = () => new Promise((resolve) => (answer = resolve));
    await page.render();
    await signIn('secret');
    expect(button().disabled).toBeTrue();
    expect(button().textContent).toContain('Signing in');
    expect(password().readOnly).toBeTrue();
    answer(text(401, 'Unauthorized'));
    await page.settle();
    expect(button().disabled).toBeTrue(); // empty field now
    await page.type(password(), 'again');
    expect(button().disabled).toBeFalse();
  });

  it('counts a lockout down from Retry-After in minutes (429, plain text)', async () => {
    page.signInAnswer = () => text(429, 'Too Many Requests', { 'Retry-After': '240' });
    await page.render();
    await signIn('guess');
    expect(page.text('sign-in-error')).toBe('Too many attempts — try again in 4 min.');
    await page.type(password(), 'another guess');
    expect(button().disabled).withContext('no attempts during the lockout').toBeTrue();
  });

  it('counts the last seconds of a lockout down and then lets the host try again (429, JSON)', async () => {
    page.signInAnswer = () => json(429, { code: 'RATE_LIMITED', message: 'Locked out.' }, { 'Retry-After': '2' });
    await page.render();
    await page.type(password(), 'guess');
    const sent = performance.now();
    page.q<HTMLFormElement>('sign-in-form')!.requestSubmit();
    // The countdown runs on real seconds. Sampling at guessed moments (at 1.1 s and 2.2 s) breaks on a
    // loaded machine, where one settle can take most of a second: note each message as it changes instead.
    const shown: Array<{ text: string | undefined; after: number }> = [];
    for (let last: string | undefined; shown.length === 0 || last !== undefined; ) {
      if (performance.now() - sent > 10_000) break;
      await page.settle(1);
      const message = page.text('sign-in-error');
      if (message === last) continue;
      last = message;
      shown.push({ text: message, after: performance.now() - sent });
    }
    expect(shown.map((s) => s.text)).toEqual([
      'Too many attempts — try again in 2 s.',
      'Too many attempts — try again in 1 s.',
      undefined,
    ]);
    // A second is a second: no step comes early (a few ms for the clocks' rounding); late is the machine's business.
    expect(shown[1]?.after).toBeGreaterThanOrEqual(995);
    expect(shown[2]?.after).toBeGreaterThanOrEqual(1_995);
    await page.type(password(), 'secret');
    expect(button().disabled).toBeFalse();
  }, 20_000);

  it('words waits humanely', () => {
    expect(formatWait(240)).toBe('4 min');
    expect(formatWait(61)).toBe('2 min');
    expect(formatWait(59)).toBe('59 s');
  });

  it("shows a server failure in words, with the server's own sentence from JSON or text", async () => {
    page.signInAnswer = () => json(503, { code: 'INTERNAL', message: 'Store unavailable' });
    await page.render();
    await signIn('secret');
    expect(page.text('sign-in-error')).toBe('Something went wrong on the server. (Store unavailable)');
    page.signInAnswer = () => text(500, 'Internal Server Error');
    await signIn('secret');
    expect(page.text('sign-in-error')).toBe('Something went wrong on the server. (Internal Server Error)');
  });

  it('opens the console and connects only after a successful sign-in', async () => {
    await page.render();
    await signIn('secret');
    expect(page.sockets).toBe(1);
    expect(page.q('sign-in-form')).toBeNull();
    expect(page.text('event-title')).toBe('Anna & Ben');
    expect(page.text('connection')).toBe('Live');
  });

  it('skips the card when the session cookie is still good (a reload)', async () => {
    page.signedIn = true;
    await page.render();
    expect(page.q('sign-in-form')).toBeNull();
    expect(page.sockets).toBe(1);
  });

  for (const [what, end] of [
    ['refuses the handshake', (p: AdminHarness) => p.socket.refuseHandshake('unauthorized')],
    ['disconnects the console', (p: AdminHarness) => p.socket.serverDisconnect('io server disconnect')],
  ] as const) {
    it(`goes back to sign-in, saying why, when the server ${what}`, async () => {
      page.signedIn = true;
      await page.render();
      end(page);
      await page.settle();
      expect(page.q('sign-in-form')).not.toBeNull();
      expect(page.text('sign-in-notice')).toContain('session has ended');
      expect(page.socket.closed).toBeTrue();
    });
  }

  it('signs out with DELETE, closes the socket and shows the card', async () => {
    page.signedIn = true;
    await page.render();
    await page.click(page.q('sign-out'));
    expect(page.fetchCalls.at(-1)?.method).toBe('DELETE');
    expect(page.socket.closed).toBeTrue();
    expect(page.q('sign-in-form')).not.toBeNull();
    expect(page.q('sign-in-notice')).toBeNull();
  });
});
