import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { PhotoDto } from '@photobook/shared';
import { JoinCard } from './join-card';
import { mosaicGrid } from './mosaic-grid';
import { altText } from './photo-text';
import type { Tile } from './stage-state';

/**
 * Recent photos in a grid that fills the screen, one tile swapping at a time with a fade; a new
 * photo enters at once, highlighted. At most MAX_TILES cells, whatever the number of photos; the
 * last one holds the join card when the host shows it (no photo hides under it).
 */
@Component({
  selector: 'app-wall-mosaic',
  imports: [JoinCard],
  templateUrl: './wall-mosaic.html',
  styleUrl: './wall-mosaic.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class.lowpower]': 'lowPower()' },
})
export class WallMosaic {
  readonly tiles = input.required<readonly Tile[]>();
  readonly captions = input(true);
  readonly lowPower = input(false);
  /** Where guests upload, for the join cell; null: no join cell. */
  readonly join = input<{ readonly qrSrc: string; readonly address: string; readonly paused: boolean; readonly pauseMessage: string } | null>(null);

  protected readonly grid = computed(() => mosaicGrid(this.tiles().length + (this.join() ? 1 : 0)));

  protected alt(photo: PhotoDto): string {
    return altText(photo, this.captions());
  }
}
