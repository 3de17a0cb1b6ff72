import {
  ChangeDetectionStrategy,
  Component,
  Injector,
  afterNextRender,
  inject,
  signal,
  viewChild,
  type ElementRef,
} from '@angular/core';
import { messageFor } from '../core/error-messages';
import { RecoveryCode } from './recovery-code';

type Copied = 'copied' | 'selected' | null;

/** Shows the code kept on this device (or makes a first one on request), copies it, replaces it. */
@Component({
  selector: 'app-recovery-code-panel',
  templateUrl: './recovery-code-panel.html',
  styleUrls: ['./mine-controls.css', './recovery.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RecoveryCodePanel {
  private readonly recovery = inject(RecoveryCode);
  private readonly injector = inject(Injector);

  protected readonly code = this.recovery.code;
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly confirmingNew = signal(false);
  protected readonly copied = signal<Copied>(null);
  protected readonly status = signal('');

  private readonly codeField = viewChild<ElementRef<HTMLInputElement>>('codeField');
  private readonly newButton = viewChild<ElementRef<HTMLButtonElement>>('newButton');
  private readonly keepButton = viewChild<ElementRef<HTMLButtonElement>>('keepButton');

  /** Only now does the guest get a code: most never look, and they need none. */
  protected async show(): Promise<void> {
    if (await this.renew()) this.focusSoon(this.codeField);
  }

  protected askNew(): void {
    this.error.set(null);
    this.confirmingNew.set(true);
    this.focusSoon(this.keepButton);
  }

  protected keep(): void {
    if (this.busy()) return;
    this.confirmingNew.set(false);
    this.focusSoon(this.newButton);
  }

  protected async makeNew(): Promise<void> {
    if (!(await this.renew())) return;
    this.confirmingNew.set(false);
    this.status.set('Here is your new code. The old one no longer works.');
    this.focusSoon(this.codeField);
  }

  /** The clipboard API needs a secure context (a LAN party over http has none): then select the text. */
  protected async copy(): Promise<void> {
    const code = this.code();
    if (!code) return;
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(code);
      this.copied.set('copied');
      this.status.set('Copied.');
    } catch {
      const field = this.codeField()?.nativeElement;
      field?.focus();
      field?.setSelectionRange(0, field.value.length);
      this.copied.set('selected');
      this.status.set('Selected: copy it with your phone’s Copy menu, or write it down.');
    }
  }

  private async renew(): Promise<boolean> {
    if (this.busy()) return false;
    this.busy.set(true);
    this.error.set(null);
    this.copied.set(null);
    const result = await this.recovery.renew();
    this.busy.set(false);
    if (!result.ok) this.error.set(messageFor(result.error, 'mine'));
    return result.ok;
  }

  private focusSoon(target: () => ElementRef<HTMLElement> | undefined): void {
    afterNextRender(() => target()?.nativeElement.focus(), { injector: this.injector });
  }
}
