import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import type { AdminBulkAction, AdminPhotoDto } from '@photobook/shared';
import { plural } from './format';
import { PhotoGridStore } from './photo-grid-store';

/**
 * Actions on the ticked photos. Each button acts on the photos it makes sense for and says how
 * many: Approve the waiting ones, Show the hidden ones, Hide the rest; Delete asks first.
 */
@Component({
  selector: 'app-bulk-bar',
  templateUrl: './bulk-bar.html',
  styleUrls: ['./admin-controls.css', './bulk-bar.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BulkBar {
  protected readonly store = inject(PhotoGridStore);
  protected readonly busy = signal(false);
  protected readonly confirming = signal(false);
  protected readonly selected = this.store.selectedPhotos;
  protected readonly waiting = computed(() => this.selected().filter((p) => p.state === 'pending'));
  protected readonly hidden = computed(() => this.selected().filter((p) => p.state === 'hidden'));
  protected readonly showing = computed(() => this.selected().filter((p) => p.state !== 'hidden'));
  protected readonly allTicked = computed(() => this.selected().length === this.store.photos().length);
  protected readonly count = computed(() => plural(this.selected().length, 'photo'));

  protected async run(action: AdminBulkAction, photos: readonly AdminPhotoDto[]): Promise<void> {
    if (this.busy() || photos.length === 0) return;
    this.busy.set(true);
    await this.store.bulk(action, photos);
    this.busy.set(false);
    this.confirming.set(false);
  }
}
