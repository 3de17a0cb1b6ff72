import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { AdminConsole, adminMessage } from './admin-console';
import { formatTime, isoTime, photoLabel, plural } from './format';
import { QueueStore } from './queue-store';

/** Keys the queue answers to; shown on its buttons. */
const SHORTCUTS: Record<string, 'approve' | 'reject' | 'skip' | 'undo'> = {
  a: 'approve',
  ArrowRight: 'approve',
  r: 'reject',
  h: 'reject',
  s: 'skip',
  z: 'undo',
};

/** One waiting photo at a time, big, with the next ones in a filmstrip; made for the keyboard. */
@Component({
  selector: 'app-approval-queue',
  imports: [RouterLink],
  templateUrl: './approval-queue.html',
  styleUrls: ['./admin-controls.css', './approval-queue.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:keydown)': 'shortcut($event)' },
})
export class ApprovalQueue {
  protected readonly store = inject(QueueStore);
  private readonly console = inject(AdminConsole);
  protected readonly approvalOn = computed(() => this.console.state()?.uploads.approvalRequired ?? false);
  protected readonly waitingWords = computed(() => `${plural(this.store.count(), 'photo')} waiting`);
  protected readonly turningOn = signal(false);
  protected readonly time = formatTime;
  protected readonly iso = isoTime;
  protected readonly label = photoLabel;

  constructor() {
    this.store.ensureLoaded();
  }

  protected shortcut(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented || isTyping(event.target)) return;
    const action = SHORTCUTS[event.key.length === 1 ? event.key.toLowerCase() : event.key];
    if (!action) return;
    event.preventDefault();
    void this.run(action);
  }

  protected run(action: 'approve' | 'reject' | 'skip' | 'undo'): Promise<void> | void {
    switch (action) {
      case 'approve':
        return this.store.approve();
      case 'reject':
        return this.store.reject();
      case 'skip':
        return this.store.skip();
      case 'undo':
        return this.store.undo();
    }
  }

  protected async turnOnApproval(): Promise<void> {
    this.turningOn.set(true);
    const result = await this.console.setApproval(true);
    this.turningOn.set(false);
    if (result.ok) this.console.notify('New photos now wait for your approval.');
    else this.console.notify(adminMessage(result.error), 'error');
  }
}

/** Letters typed into a field (the header's pause message) are words, not shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || !!target.closest('dialog');
}
