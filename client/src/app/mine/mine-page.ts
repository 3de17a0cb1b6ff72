import { ChangeDetectionStrategy, Component, computed, inject, viewChild, type ElementRef } from '@angular/core';
import { RouterLink } from '@angular/router';
import { RealtimeService } from '../core/realtime.service';
import { MyPhotos } from './my-photos';
import { PhotoCard } from './photo-card';
import { RecoverForm } from './recover-form';
import { RecoveryCode } from './recovery-code';
import { RecoveryCodePanel } from './recovery-code-panel';

/** "My photos": the guest's own photos, live, with edit and delete, and recovery codes. */
@Component({
  selector: 'app-mine-page',
  imports: [RouterLink, PhotoCard, RecoveryCodePanel, RecoverForm],
  providers: [MyPhotos, RecoveryCode],
  templateUrl: './mine-page.html',
  styleUrls: ['./mine-controls.css', './mine-page.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MinePage {
  protected readonly store = inject(MyPhotos);
  private readonly recovery = inject(RecoveryCode);
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

  /** A card that removed itself took the focus with it; the list's heading takes it instead. */
  protected onLeft(): void {
    this.heading()?.nativeElement.focus();
  }
}
