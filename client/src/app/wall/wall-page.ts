import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { JoinInfoLoader } from './join-info';
import { ScreenWakeLock } from './wake-lock';
import { WallFeed } from './wall-feed';

/** How many recent photos sit in the strip under the featured one. */
const STRIP_SIZE = 8;

/** The projector view: the newest photo large, the next few in a strip, updated live. */
@Component({
  selector: 'app-wall-page',
  providers: [WallFeed, ScreenWakeLock, JoinInfoLoader],
  templateUrl: './wall-page.html',
  styleUrl: './wall-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WallPage {
  private readonly feed = inject(WallFeed);

  private readonly join = inject(JoinInfoLoader);
  protected readonly uploadUrl = this.join.uploadUrl;
  protected readonly qrSrc = this.join.qrSrc;
  protected readonly connected = this.feed.connected;
  /** A one-element list so a new arrival re-creates the element and replays its entrance. */
  protected readonly featured = computed(() => this.feed.photos().slice(0, 1));
  protected readonly strip = computed(() => this.feed.photos().slice(1, 1 + STRIP_SIZE));
  protected readonly empty = computed(() => this.feed.photos().length === 0);

  constructor() {
    this.feed.start();
    this.join.load();
    inject(ScreenWakeLock).keepAwake();
  }
}
