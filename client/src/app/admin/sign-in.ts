import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  signal,
  viewChild,
  type ElementRef,
} from '@angular/core';
import { AdminConsole } from './admin-console';
import { formatWait } from './format';

/** The host's sign-in: one password, humane errors, and a lockout that counts down. */
@Component({
  selector: 'app-sign-in',
  templateUrl: './sign-in.html',
  styleUrls: ['./admin-controls.css', './sign-in.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignIn {
  private readonly console = inject(AdminConsole);
  private readonly injector = inject(Injector);
  private readonly field = viewChild<ElementRef<HTMLInputElement>>('passwordField');
  private countdown: ReturnType<typeof setInterval> | undefined;

  protected readonly password = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Seconds left of a lockout (429 Retry-After); 0 when none. */
  protected readonly lockedFor = signal(0);
  protected readonly notice = this.console.signInNotice;
  protected readonly lockoutMessage = computed(() =>
    this.lockedFor() > 0 ? `Too many attempts — try again in ${formatWait(this.lockedFor())}.` : null,
  );
  protected readonly canSubmit = computed(() => !this.busy() && this.lockedFor() === 0 && this.password().length > 0);

  constructor() {
    inject(DestroyRef).onDestroy(() => clearInterval(this.countdown));
    afterNextRender(() => this.field()?.nativeElement.focus());
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.canSubmit()) return;
    this.busy.set(true);
    this.error.set(null);
    const outcome = await this.console.signIn(this.password());
    this.busy.set(false);
    switch (outcome.kind) {
      case 'signed-in':
        return;
      case 'wrong-password':
        this.error.set('Wrong password. Check it and try again.');
        this.password.set('');
        this.focusField();
        return;
      case 'locked-out':
        this.lockOut(outcome.retryAfterSeconds);
        return;
      case 'failed':
        this.error.set(outcome.message);
        this.focusField();
    }
  }

  private lockOut(seconds: number): void {
    clearInterval(this.countdown);
    const until = Date.now() + seconds * 1000;
    this.lockedFor.set(seconds);
    this.countdown = setInterval(() => {
      const left = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      this.lockedFor.set(left);
      if (left === 0) {
        clearInterval(this.countdown);
        this.focusField();
      }
    }, 1000);
  }

  private focusField(): void {
    afterNextRender(() => this.field()?.nativeElement.focus(), { injector: this.injector });
  }
}
