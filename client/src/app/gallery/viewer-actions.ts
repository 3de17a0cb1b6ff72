import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, inject, input, signal } from '@angular/core';
import { downloadPath } from '@photobook/shared';
import { RealtimeService } from '../core/realtime.service';
import { SHARE_API, shareUrl } from './share-api';
import type { ViewerPhoto } from './viewer-photo';

/** How long "Link copied" stays. */
export const COPIED_MS = 2_500;

/**
 * Share (or Copy link) and Download for the photo in the viewer, each only while the host allows
 * it (PublicSettings.shareLinks, .guestDownloads, followed live) and only for a photo on the wall:
 * a guest's pending or hidden photo has no public page and no public copy.
 */
@Component({
  selector: 'app-viewer-actions',
  templateUrl: './viewer-actions.html',
  styleUrl: './viewer-actions.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ViewerActions {
  private readonly settings = inject(RealtimeService).settings;
  private readonly api = inject(SHARE_API);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private statusTimer: ReturnType<typeof setTimeout> | undefined;

  readonly photo = input.required<ViewerPhoto>();

  private readonly onWall = computed(() => (this.photo().state ?? 'visible') === 'visible');
  protected readonly canShare = computed(() => this.onWall() && this.settings()?.shareLinks === true);
  protected readonly canDownload = computed(() => this.onWall() && this.settings()?.guestDownloads === true);
  protected readonly nativeShare = this.api.share !== null;
  protected readonly downloadHref = computed(() => downloadPath(this.photo().id));
  protected readonly status = signal<string | null>(null);
  /** The link, shown to copy by hand when the browser would not copy it. */
  protected readonly manualLink = signal<string | null>(null);

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.statusTimer));
  }

  protected async share(): Promise<void> {
    const url = shareUrl(this.photo().id);
    this.manualLink.set(null);
    if (this.api.share) {
      try {
        await this.api.share({ url });
        return;
      } catch (e) {
        // The guest closed the share sheet: nothing to say.
        if (e instanceof DOMException && e.name === 'AbortError') return;
      }
    }
    try {
      await this.api.copy(url, this.host.nativeElement);
      this.say('Link copied');
    } catch {
      this.manualLink.set(url);
    }
  }

  protected selectAll(event: Event): void {
    (event.target as HTMLInputElement).select();
  }

  private say(message: string): void {
    clearTimeout(this.statusTimer);
    this.status.set(message);
    this.statusTimer = setTimeout(() => this.status.set(null), COPIED_MS);
  }
}
