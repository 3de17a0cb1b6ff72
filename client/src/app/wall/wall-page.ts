import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import type { WallSettings } from '@photobook/shared';
import { RealtimeService } from '../core/realtime.service';
import { JoinInfoLoader } from './join-info';
import { MAX_WALL_PHOTOS } from './merge-photos';
import { ScreenWakeLock } from './wake-lock';
import { WallFeed } from './wall-feed';

/** How many recent photos sit in the strip under the featured one. */
const STRIP_SIZE = 8;

type WallShow = Pick<WallSettings, 'showCaptions' | 'showTitle' | 'showQr' | 'showCount'>;

/** Until the server's settings arrive (a moment after connecting), the wall shows what it always did. */
const SHOW_BEFORE_SETTINGS: WallShow = { showCaptions: true, showTitle: true, showQr: true, showCount: false };

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
  private readonly settings = inject(RealtimeService).settings;

  private readonly join = inject(JoinInfoLoader);
  protected readonly uploadUrl = this.join.uploadUrl;
  protected readonly qrSrc = this.join.qrSrc;
  protected readonly connected = this.feed.connected;
  /** A one-element list so a new arrival re-creates the element and replays its entrance. */
  protected readonly featured = computed(() => this.feed.photos().slice(0, 1));
  protected readonly strip = computed(() => this.feed.photos().slice(1, 1 + STRIP_SIZE));
  protected readonly empty = computed(() => this.feed.photos().length === 0);

  /** The host's choices, live. Only these four are read here, so any layout value leaves the page whole. */
  protected readonly show = computed<WallShow>(() => ({ ...SHOW_BEFORE_SETTINGS, ...this.settings()?.wall }));
  protected readonly title = computed(() => (this.show().showTitle ? (this.settings()?.title?.trim() ?? '') : ''));
  /** The wall holds the newest MAX_WALL_PHOTOS only, so beyond that it can only say "at least". */
  protected readonly countLabel = computed(() => {
    const n = this.feed.photos().length;
    if (!this.show().showCount || n === 0) return '';
    if (n >= MAX_WALL_PHOTOS) return `${MAX_WALL_PHOTOS}+ photos`;
    return n === 1 ? '1 photo' : `${n} photos`;
  });
  /** Said on the wall too, so guests stop trying while the host has paused uploads. */
  protected readonly pausedNote = computed(() => {
    const settings = this.settings();
    if (!settings?.paused) return '';
    const message = settings.pauseMessage?.trim();
    return message ? `Uploads are paused — ${message}` : 'Uploads are paused';
  });

  constructor() {
    this.feed.start();
    this.join.load();
    inject(ScreenWakeLock).keepAwake();
  }

  protected altText(photo: { readonly caption: string; readonly author: string }): string {
    if (!this.show().showCaptions) return 'Photo from a guest';
    return photo.caption || 'Photo by ' + (photo.author || 'a guest');
  }
}
