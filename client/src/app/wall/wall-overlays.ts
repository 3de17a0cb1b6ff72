import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { JoinCard, shortAddress } from './join-card';

/**
 * What sits over the show: the event's title and the photo count (top left), the host's pause
 * and the offline badge (top right), the join card (bottom right, unless a mosaic gives it a cell
 * of its own); and, with no photos yet, a large invitation instead.
 */
@Component({
  selector: 'app-wall-overlays',
  imports: [JoinCard],
  templateUrl: './wall-overlays.html',
  styleUrl: './wall-overlays.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class.lowpower]': 'lowPower()' },
})
export class WallOverlays {
  readonly empty = input(false);
  readonly title = input('');
  readonly countLabel = input('');
  readonly pausedNote = input('');
  readonly showQr = input(true);
  /** The mosaic shows the join card in its own cell. */
  readonly joinInGrid = input(false);
  readonly qrSrc = input.required<string>();
  readonly uploadUrl = input.required<string>();
  readonly connected = input(true);
  readonly lowPower = input(false);

  protected readonly address = computed(() => shortAddress(this.uploadUrl()));
}
