import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import type { AdminPhotoDto } from '@photobook/shared';
import { STATE_WORDS, formatTime, isoTime, photoLabel } from './format';

/** One photo in the grid: tick box, thumbnail (opens the preview), words, guest alias, state, time. */
@Component({
  selector: 'app-admin-photo-card',
  templateUrl: './photo-card.html',
  styleUrls: ['./admin-controls.css', './photo-card.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdminPhotoCard {
  readonly photo = input.required<AdminPhotoDto>();
  readonly selected = input(false);
  /** Shift held: tick the range from the previous click. */
  readonly toggled = output<{ readonly range: boolean }>();
  readonly opened = output<void>();
  readonly guestPicked = output<number>();

  protected readonly stateWords = computed(() => STATE_WORDS[this.photo().state]);
  protected readonly time = computed(() => formatTime(this.photo().createdAt));
  protected readonly iso = computed(() => isoTime(this.photo().createdAt));
  protected readonly label = computed(() => photoLabel(this.photo()));

  protected toggle(event: MouseEvent): void {
    this.toggled.emit({ range: event.shiftKey });
  }
}
