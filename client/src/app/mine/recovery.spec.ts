import { ErrorCode, err } from '@photobook/shared';
import { FAKE_CODES } from '../../testing/fake-mine-server';
import { myPhoto } from '../../testing/fake-socket';
import { MinePageHarness } from '../../testing/mine-page-harness';
import { messageForCode, messageForCodeIn } from '../core/error-messages';
import { MALFORMED_CODE_MESSAGE } from './recover-form';
import { RECOVERY_CODE_STORAGE_KEY } from './recovery-code';

describe('MinePage recovery codes', () => {
  let page: MinePageHarness;
  const codeShown = () => (page.q('code-value') as HTMLInputElement | null)?.value;
  const click = (id: string) => page.click(page.q(id));

  beforeEach(() => (page = new MinePageHarness()));
  afterEach(() => page.cleanUp());

  async function enterCode(value: string): Promise<void> {
    const input = page.q('code-input') as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await page.submit(input.form);
  }

  describe('your recovery code', () => {
    it('makes no code for a guest who never looks, and shows none to a guest without photos', async () => {
      await page.render();
      expect(page.q('recovery-code')).toBeNull();
      page.server.seed(1);
      await page.reconnect();

      expect(page.q('recovery-code')?.textContent).toContain(
        'Open My photos on another phone or browser and enter this code to edit or delete these photos there.',
      );
      expect(page.q('show-code')).not.toBeNull();
      expect(page.socket.requests('owner:code')).toEqual([]);
    });

    it('asks the server for a code when the guest taps Show my code, shows it formatted and keeps it on this device', async () => {
      page.server.seed(1);
      await page.render();
      await click('show-code');

      expect(page.socket.requests('owner:code')).toEqual([{}]);
      expect(codeShown()).toBe('K7QM-X2RT-9BNW-H');
      expect(localStorage.getItem(RECOVERY_CODE_STORAGE_KEY)).toBe(FAKE_CODES[0]);
      expect(document.activeElement).toBe(page.q('code-value'));
      expect(page.q('code-value')?.hasAttribute('readonly')).toBeTrue();
    });

    it('shows the stored code at once, without asking the server again', async () => {
      localStorage.setItem(RECOVERY_CODE_STORAGE_KEY, FAKE_CODES[1]);
      await page.render();
      expect(codeShown()).toBe('PQRS-2345-TVWX-Y');
      expect(page.q('show-code')).toBeNull();
      expect(page.socket.requests('owner:code')).toEqual([]);
    });

    it('says why a code could not be made, and lets the guest try again', async () => {
      page.server.seed(1);
      page.server.intercept = (event) => (event === 'owner:code' ? err(ErrorCode.Internal, 'x') : undefined);
      await page.render();
      await click('show-code');
      expect(page.text('code-error')).toBe(messageForCode(ErrorCode.Internal));
      expect(localStorage.getItem(RECOVERY_CODE_STORAGE_KEY)).toBeNull();

      page.server.intercept = null;
      await click('show-code');
      expect(page.q('code-error')).toBeNull();
      expect(codeShown()).toBe('K7QM-X2RT-9BNW-H');
    });

    it('copies the code with the clipboard when the browser has one', async () => {
      localStorage.setItem(RECOVERY_CODE_STORAGE_KEY, FAKE_CODES[0]);
      const writeText = spyOn(navigator.clipboard, 'writeText').and.resolveTo();
      await page.render();
      await click('copy-code');
      expect(writeText).toHaveBeenCalledOnceWith('K7QM-X2RT-9BNW-H');
      expect(page.text('copy-code')).toBe('Copied ✓');
      expect(page.text('code-status')).toBe('Copied.');
    });

    it('selects the code for copying by hand when there is no clipboard (plain http on the party Wi-Fi)', async () => {
      localStorage.setItem(RECOVERY_CODE_STORAGE_KEY, FAKE_CODES[0]);
      spyOnProperty(navigator, 'clipboard', 'get').and.returnValue(undefined as unknown as Clipboard);
      await page.render();
      await click('copy-code');
      const field = page.q('code-value') as HTMLInputElement;
      expect(document.activeElement).toBe(field);
      expect([field.selectionStart, field.selectionEnd]).toEqual([0, 'K7QM-X2RT-9BNW-H'.length]);
      expect(page.text('code-status')).toContain('Selected');
    });

    it('makes a new code only after the guest confirms that the old one stops working', async () => {
      localStorage.setItem(RECOVERY_CODE_STORAGE_KEY, FAKE_CODES[2]);
      await page.render();
      await click('new-code');
      expect(page.socket.requests('owner:code')).toEqual([]);
      expect(page.text('new-code-confirm')).toContain('The old code stops working');
      expect(document.activeElement).toBe(page.q('keep-code'));

      await click('confirm-new-code');
      expect(page.socket.requests('owner:code')).toEqual([{}]);
      expect(codeShown()).toBe('K7QM-X2RT-9BNW-H');
      expect(localStorage.getItem(RECOVERY_CODE_STORAGE_KEY)).toBe(FAKE_CODES[0]);
      expect(page.q('new-code-confirm')).toBeNull();
      expect(page.text('code-status')).toContain('The old one no longer works');
    });

    it('keeps the code when the guest backs out of making a new one', async () => {
      localStorage.setItem(RECOVERY_CODE_STORAGE_KEY, FAKE_CODES[2]);
      await page.render();
      await click('new-code');
      await click('keep-code');
      expect(page.q('new-code-confirm')).toBeNull();
      expect(document.activeElement).toBe(page.q('new-code'));
      expect(codeShown()).toBe('ABCD-6789-EFGH-J');
      expect(page.socket.requests('owner:code')).toEqual([]);
    });

    it('shows the new code when another tab made one', async () => {
      localStorage.setItem(RECOVERY_CODE_STORAGE_KEY, FAKE_CODES[0]);
      await page.render();
      localStorage.setItem(RECOVERY_CODE_STORAGE_KEY, FAKE_CODES[1]);
      window.dispatchEvent(new StorageEvent('storage', { key: RECOVERY_CODE_STORAGE_KEY }));
      await page.settle();
      expect(codeShown()).toBe('PQRS-2345-TVWX-Y');
    });
  });

  describe('enter a code', () => {
    beforeEach(() => {
      page.server.seed(1);
      page.server.validCode = 'HJKM2345NPQRS';
      page.server.others = [myPhoto(7, { caption: 'From my old phone' }), myPhoto(6)];
    });

    it('offers a field that phones will not autocorrect, autocomplete or spell-check', async () => {
      await page.render();
      const input = page.q('code-input') as HTMLInputElement;
      expect(input.getAttribute('autocomplete')).toBe('off');
      expect(input.getAttribute('autocapitalize')).toBe('characters');
      expect(input.getAttribute('spellcheck')).toBe('false');
      expect(input.labels?.[0]?.textContent).toContain('Recovery code');
    });

    it('sends the code without case, spaces or dashes, lists again and says how many photos were found', async () => {
      await page.render();
      await enterCode(' hjkm-2345 npqr-s ');

      expect(page.socket.requests('owner:recover')).toEqual([{ code: 'HJKM2345NPQRS' }]);
      expect(page.socket.requests('mine:list').length).toBe(2);
      expect(page.shownIds()).toEqual([myPhoto(7).id, myPhoto(6).id, myPhoto(1).id]);
      expect(page.text('recover-found')).toBe('Found 2 photos. They are in your list above.');
      expect((page.q('code-input') as HTMLInputElement).value).toBe('');
      expect(page.q('recover-error')).toBeNull();
    });

    it('refuses what cannot be a code without asking the server', async () => {
      await page.render();
      await enterCode('K7QM-X2RT');
      expect(page.text('recover-error')).toBe(MALFORMED_CODE_MESSAGE);
      expect(page.q('code-input')?.getAttribute('aria-invalid')).toBe('true');
      expect(page.q('code-input')?.getAttribute('aria-describedby')).toBe('recover-error');
      expect(page.socket.requests('owner:recover')).toEqual([]);
    });

    it('shows RECOVERY_CODE_INVALID inline for a code that matches nobody, keeping what was typed', async () => {
      await page.render();
      await enterCode('K7QM-X2RT-9BNW-H');
      expect(page.text('recover-error')).toBe(messageForCode(ErrorCode.RecoveryCodeInvalid));
      expect((page.q('code-input') as HTMLInputElement).value).toBe('K7QM-X2RT-9BNW-H');
      expect(page.socket.requests('mine:list').length).toBe(1);
      expect(page.text('recover-found')).toBe('');
    });

    it('shows RATE_LIMITED inline after too many tries', async () => {
      page.server.triesLeft = 1;
      await page.render();
      await enterCode('K7QM-X2RT-9BNW-H');
      await enterCode('PQRS-2345-TVWX-Y');
      expect(page.text('recover-error')).toBe(messageForCodeIn(ErrorCode.RateLimited, 'mine'));
      expect(page.text('recover-error')).not.toContain('Upload');
    });
  });
});
