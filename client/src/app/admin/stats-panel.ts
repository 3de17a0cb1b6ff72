import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import type { AdminClusterDto } from '@photobook/shared';
import { AdminConsole } from './admin-console';
import { formatBytes, plural } from './format';

interface StatCard {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  /** Small words before the value ("at least"). */
  readonly qualifier?: string;
  readonly note?: string;
  readonly tone?: 'warn' | 'bad';
}

/** Lost while the replicas run on: they keep serving, so this warns rather than blocks. */
const LINK_LOST: StatCard = {
  id: 'cluster',
  label: 'Link between servers',
  value: 'Lost',
  note:
    'Each server sends new photos live only to the walls and phones connected to it, so some show up late. ' +
    'Everything catches up when the link is back.',
  tone: 'bad',
};

/** Says nothing for one server on its own: a one-laptop party needs no word about servers. */
function wallsNote({ redis, replicas, partial }: AdminClusterDto): string | undefined {
  if (partial) return `Only ${plural(replicas, 'server')} answered in time`;
  return redis === 'off' ? undefined : `On ${plural(replicas, 'server')}`;
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
    // A replica not yet updated (mid rolling update) says nothing of the cluster: count it as alone.
    const cluster: AdminClusterDto = stats.cluster ?? { redis: 'off', replicas: 1, partial: false };
    const n = (value: number) => value.toLocaleString();
    const free = storage.freeBytes === null ? 'Unknown' : formatBytes(storage.freeBytes);
    return [
      ...(cluster.redis === 'down' ? [LINK_LOST] : []),
      { id: 'visible', label: 'On the wall', value: n(photos.visible) },
      { id: 'pending', label: 'Waiting for approval', value: n(photos.pending), tone: photos.pending > 0 ? 'warn' : undefined },
      { id: 'hidden', label: 'Hidden', value: n(photos.hidden) },
      { id: 'guests', label: 'Guests who uploaded', value: n(stats.guests) },
      {
        id: 'walls',
        label: 'Walls connected',
        value: n(stats.walls),
        qualifier: cluster.partial ? 'at least' : undefined,
        note: wallsNote(cluster),
        tone: stats.walls === 0 ? 'warn' : undefined,
      },
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
