import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { AdminConsole } from './admin-console';
import { formatBytes } from './format';

interface StatCard {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly note?: string;
  readonly tone?: 'warn' | 'bad';
}

/** The party at a glance; the console refreshes the numbers every few seconds and after changes. */
@Component({
  selector: 'app-stats-panel',
  templateUrl: './stats-panel.html',
  styleUrl: './stats-panel.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatsPanel {
  private readonly console = inject(AdminConsole);
  protected readonly cards = computed<readonly StatCard[] | null>(() => {
    const stats = this.console.stats();
    if (!stats) return null;
    const { photos, storage } = stats;
    const n = (value: number) => value.toLocaleString();
    const free = storage.freeBytes === null ? 'Unknown' : formatBytes(storage.freeBytes);
    return [
      { id: 'visible', label: 'On the wall', value: n(photos.visible) },
      { id: 'pending', label: 'Waiting for approval', value: n(photos.pending), tone: photos.pending > 0 ? 'warn' : undefined },
      { id: 'hidden', label: 'Hidden', value: n(photos.hidden) },
      { id: 'guests', label: 'Guests who uploaded', value: n(stats.guests) },
      { id: 'walls', label: 'Walls connected', value: n(stats.walls), tone: stats.walls === 0 ? 'warn' : undefined },
      { id: 'uploads', label: 'Uploads in progress', value: n(stats.uploadsOpen) },
      { id: 'used', label: 'Disk used by photos', value: formatBytes(storage.usedBytes) },
      {
        id: 'free',
        label: 'Disk free',
        value: free,
        note: `Uploads stop below ${formatBytes(storage.reserveBytes)}`,
        tone: this.console.storageLow() ? 'bad' : undefined,
      },
    ];
  });
}
