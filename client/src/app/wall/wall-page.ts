import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { shortAddress, type WallSettings } from '@photobook/shared';
import { RealtimeService } from '../core/realtime.service';
import { JoinInfoLoader } from './join-info';
import { SlideshowStage } from './slideshow-stage';
import { ScreenWakeLock } from './wake-lock';
import { WALL_CLOCK } from './wall-clock';
import { WallFeed } from './wall-feed';
import { WallMosaic } from './wall-mosaic';
import { WallOverlays } from './wall-overlays';
import { WallShow } from './wall-show';

type WallShowFlags = Pick<WallSettings, 'showCaptions' | 'showTitle' | 'showQr' | 'showCount'>;

/** Until the server's settings arrive (a moment after connecting), the wall shows what it always did. */
const SHOW_BEFORE_SETTINGS: WallShowFlags = { showCaptions: true, showTitle: true, showQr: true, showCount: false };

/** The pointer disappears after this long without moving: nobody wants an arrow on the photos all night. */
const CURSOR_IDLE_MS = 3_000;

/** The projector view: the show (slideshow, mosaic or both in turn) with its overlays, live. */
@Component({
  selector: 'app-wall-page',
  imports: [SlideshowStage, WallMosaic, WallOverlays],
  providers: [WallFeed, WallShow, ScreenWakeLock, JoinInfoLoader],
  templateUrl: './wall-page.html',
  styleUrl: './wall-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    '[class.cursor-hidden]': 'cursorHidden()',
    '(document:pointermove)': 'wake()',
    '(document:pointerdown)': 'wake()',
    '(document:keydown)': 'wake()',
  },
})
export class WallPage {
  protected readonly show = inject(WallShow);
  private readonly settings = inject(RealtimeService).settings;
  private readonly clock = inject(WALL_CLOCK);
  private readonly wakeLock = inject(ScreenWakeLock);
  private readonly join = inject(JoinInfoLoader);
  protected readonly uploadUrl = this.join.uploadUrl;
  protected readonly qrSrc = this.join.qrSrc;
  protected readonly address = computed(() => shortAddress(this.uploadUrl()));
  /** In a mosaic the join card takes a cell of its own (the pause note takes it while uploads are paused). */
  protected readonly joinCell = computed(() =>
    this.flags().showQr ? { qrSrc: this.qrSrc, address: this.address(), paused: !!this.pausedNote(), pauseMessage: this.pauseMessage() } : null,
  );

  /** The host's choices, live. */
  protected readonly flags = computed<WallShowFlags>(() => ({ ...SHOW_BEFORE_SETTINGS, ...this.settings()?.wall }));
  protected readonly title = computed(() => (this.flags().showTitle ? (this.settings()?.title?.trim() ?? '') : ''));
  protected readonly countLabel = computed(() => {
    const n = this.show.total();
    if (!this.flags().showCount || n === 0) return '';
    return n === 1 ? '1 photo' : `${n.toLocaleString('en-US')} photos`;
  });
  /** Said on the wall too, so guests stop trying while the host has paused uploads. */
  protected readonly pausedNote = computed(() => {
    const settings = this.settings();
    if (!settings?.paused) return '';
    const message = settings.pauseMessage?.trim();
    return message ? `Uploads are paused — ${message}` : 'Uploads are paused';
  });
  protected readonly pauseMessage = computed(() => (this.settings()?.paused ? (this.settings()?.pauseMessage?.trim() ?? '') : ''));
  protected readonly cursorHidden = signal(false);
  private cancelCursor: (() => void) | undefined;

  constructor() {
    this.show.start();
    this.join.load();
    this.wakeLock.keepAwake();
    this.wake();
  }

  /** Any movement shows the pointer again for a moment, and is a chance to take the wake lock. */
  protected wake(): void {
    this.cursorHidden.set(false);
    this.cancelCursor?.();
    this.cancelCursor = this.clock.after(CURSOR_IDLE_MS, () => this.cursorHidden.set(true));
    this.wakeLock.retry();
  }
}
