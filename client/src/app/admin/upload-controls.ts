import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal, signal } from '@angular/core';
import { MAX_PAUSE_MESSAGE_GRAPHEMES, exceedsGraphemes } from '@photobook/shared';
import type { ClientResult } from '../core/client-result';
import { AdminConsole, adminMessage } from './admin-console';

/** The host's two switches for uploads: open or paused (with words for the guests), and pre-approval. */
@Component({
  selector: 'app-upload-controls',
  templateUrl: './upload-controls.html',
  styleUrls: ['./admin-controls.css', './upload-controls.css'],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UploadControls {
  private readonly console = inject(AdminConsole);
  protected readonly uploads = computed(() => this.console.state()?.uploads ?? null);
  protected readonly maxMessage = MAX_PAUSE_MESSAGE_GRAPHEMES;
  /** Follows the server's message whenever it changes (here or in another console). */
  protected readonly message = linkedSignal(() => this.uploads()?.pauseMessage ?? '');
  protected readonly busy = signal<'uploads' | 'approval' | null>(null);
  protected readonly messageTooLong = computed(() => exceedsGraphemes(this.message().trim(), MAX_PAUSE_MESSAGE_GRAPHEMES));
  protected readonly messageChanged = computed(() => {
    const uploads = this.uploads();
    return !!uploads?.paused && this.message().trim() !== uploads.pauseMessage;
  });

  protected async toggleUploads(): Promise<void> {
    const uploads = this.uploads();
    if (!uploads || this.busy() || (!uploads.paused && this.messageTooLong())) return;
    const done = uploads.paused ? 'Uploads are open again.' : 'Uploads paused. Guests see your message.';
    await this.run('uploads', () => this.console.setPaused(!uploads.paused, this.message().trim()), done);
  }

  /** Enter in the message field, or its Update button: new words while paused. */
  protected async updateMessage(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.messageChanged() || this.messageTooLong() || this.busy()) return;
    await this.run('uploads', () => this.console.setPaused(true, this.message().trim()), 'Message updated.');
  }

  protected async toggleApproval(): Promise<void> {
    const uploads = this.uploads();
    if (!uploads || this.busy()) return;
    const required = !uploads.approvalRequired;
    const done = required ? 'New photos now wait for your approval.' : 'New photos go straight to the wall.';
    await this.run('approval', () => this.console.setApproval(required), done);
  }

  private async run(what: 'uploads' | 'approval', request: () => Promise<ClientResult<unknown>>, done: string): Promise<void> {
    this.busy.set(what);
    const result = await request();
    this.busy.set(null);
    if (result.ok) this.console.notify(done);
    else this.console.notify(adminMessage(result.error), 'error');
  }
}
