import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  untracked,
  viewChild,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import { RealtimeService } from '../core/realtime.service';
import { PhotoViewer } from '../gallery/photo-viewer';
import { ViewerUrl } from '../gallery/viewer-url';
import { MyPhotos } from './my-photos';
import { PhotoCard } from './photo-card';
import { RecoverForm } from './recover-form';
import { RecoveryCode } from './recovery-code';
import { RecoveryCodePanel } from './recovery-code-panel';

/** "My photos": the guest's own photos, live, with edit and delete, and recovery codes. */
@Component({
  selector: 'app-mine-page',
  imports: [RouterLink, PhotoCard, RecoveryCodePanel, RecoverForm, PhotoViewer],
  providers: [MyPhotos, RecoveryCode, ViewerUrl],
  templateUrl: './mine-page.html',
  styleUrls: ['./mine-controls.css', './mine-page.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MinePage {
  protected readonly store = inject(MyPhotos);
  /** The full-screen viewer over the guest's own photos (?photo=ID), the gallery's own. */
  protected readonly viewer = inject(ViewerUrl);
  private readonly recovery = inject(RecoveryCode);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  private readonly heading = viewChild<ElementRef<HTMLElement>>('listHeading');
  private readonly settings = inject(RealtimeService).settings;

  /** The event's name over the heading, live; empty: just "My photos". */
  protected readonly title = computed(() => this.settings()?.title?.trim() ?? '');

  protected readonly count = computed(() => {
    const n = this.store.photos().length;
    if (!this.store.loaded() || n === 0) return 'Your photos';
    return n === 1 ? '1 photo' : `${n} photos`;
  });
  /** Sections below the list wait for it, so its arrival pushes nothing down (no layout shift). */
  protected readonly settled = computed(() => this.store.loaded() || this.store.loadError() !== null);
  /** A guest with no photos has nothing to recover elsewhere: no code section, and no code made. */
  protected readonly showCode = computed(() => this.store.photos().length > 0 || this.recovery.code() !== null);

  /** The viewer waits for the list, so a reload on ?photo=ID opens on that photo rather than closing. */
  protected readonly openId = computed(() => (this.store.loaded() ? this.viewer.openId() : null));

  constructor() {
    // Closing the viewer: focus back on the thumbnail of the photo seen last.
    let lastOpen: string | null = null;
    effect(() => {
      const open = this.openId();
      const closed = open === null ? lastOpen : null;
      lastOpen = open;
      if (closed !== null) untracked(() => this.focusThumb(closed));
    });
  }

  private focusThumb(id: string): void {
    afterNextRender(
      () => this.host.nativeElement.querySelector<HTMLElement>(`[data-testid="open-photo"][data-photo-id="${CSS.escape(id)}"]`)?.focus(),
      { injector: this.injector },
    );
  }

  /** A card that removed itself took the focus with it; the list's heading takes it instead. */
  protected onLeft(): void {
    this.heading()?.nativeElement.focus();
  }
}
