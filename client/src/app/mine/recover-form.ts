import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { normalizeRecoveryCode } from '@photobook/shared';
import { messageFor } from '../core/error-messages';
import { MyPhotos } from './my-photos';

export const MALFORMED_CODE_MESSAGE =
  'That doesn’t look like a recovery code. Codes have 13 letters and digits, like K7QM-X2RT-9BNW-H.';

/** "Enter a code": makes this browser an owner of the photos shared from another phone. */
@Component({
  selector: 'app-recover-form',
  templateUrl: './recover-form.html',
  styleUrls: ['./mine-controls.css', './recovery.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RecoverForm {
  private readonly store = inject(MyPhotos);

  protected readonly value = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly found = signal('');

  protected onInput(value: string): void {
    this.value.set(value);
    this.error.set(null);
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    if (this.busy()) return;
    this.found.set('');
    const code = normalizeRecoveryCode(this.value());
    if (code === null) {
      this.error.set(MALFORMED_CODE_MESSAGE);
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    const result = await this.store.recover(code);
    this.busy.set(false);
    if (!result.ok) {
      this.error.set(messageFor(result.error, 'mine'));
      return;
    }
    // The field may hold typing the view has not seen yet, so clear the element itself too.
    form.reset();
    this.value.set('');
    this.found.set(foundMessage(result.value.photos));
  }
}

function foundMessage(photos: number): string {
  if (photos === 0) return 'That code is right, but it has no photos (any more).';
  return photos === 1 ? 'Found 1 photo. It is in your list above.' : `Found ${photos} photos. They are in your list above.`;
}
