import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ADMIN_EXPORT_PATH } from '@photobook/shared';
import { AdminConsole } from './admin-console';
import { formatBytes } from './format';
import { UploadControls } from './upload-controls';

/** Always on screen once signed in: the event, the upload switches, export, connection, sign-out. */
@Component({
  selector: 'app-admin-header',
  imports: [RouterLink, UploadControls],
  templateUrl: './admin-header.html',
  styleUrls: ['./admin-controls.css', './admin-header.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdminHeader {
  protected readonly console = inject(AdminConsole);
  protected readonly exportPath = ADMIN_EXPORT_PATH;
  protected readonly signingOut = signal(false);
  protected readonly storageWords = computed(() => {
    if (!this.console.storageLow()) return null;
    const free = this.console.stats()?.storage.freeBytes;
    const amount = free === null || free === undefined ? '' : ` Only ${formatBytes(free)} free.`;
    return `Storage is full.${amount} Uploads are refused until space is freed; guests’ photos wait on their phones.`;
  });

  protected async signOut(): Promise<void> {
    if (this.signingOut()) return;
    this.signingOut.set(true);
    await this.console.signOut();
  }
}
