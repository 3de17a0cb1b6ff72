import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { shortAddress } from '@photobook/shared';
import { JoinCard } from './join-card';
import type { JoinCardState } from './join-cue';
import { JoinScreen } from './join-screen';

/**
 * What sits over the show: the event's title and the photo count (top left), the offline badge
 * (top right), the join card (bottom right, unless a mosaic gives it a cell of its own) or, while
 * uploads are paused, the host's message in its place; now and then the full-screen join card; and,
 * with no photos yet, the full-screen invitation all the time.
 */
@Component({
  selector: 'app-wall-overlays',
  imports: [JoinCard, JoinScreen],
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
  readonly pauseMessage = input('');
  readonly showQr = input(true);
  /** The mosaic shows the join card in its own cell. */
  readonly joinInGrid = input(false);
  /** The show's full-screen join card, while it is on screen. */
  readonly joinScreen = input<JoinCardState | null>(null);
  readonly qrSrc = input.required<string>();
  readonly uploadUrl = input.required<string>();
  readonly connected = input(true);
  readonly lowPower = input(false);

  protected readonly address = computed(() => shortAddress(this.uploadUrl()));
}
