import { ErrorCode, err, ok, validatePauseMessage, type Result, type UploadSettings } from '@photobook/shared';
import type { HostSettings, PhotoStore } from '../store/types';

export interface ClientUploadLimits {
  readonly downscaleAboveBytes: number | null;
  readonly downscaleMaxEdge: number;
}

export interface SettingsServiceDeps {
  readonly store: PhotoStore;
  readonly limits: ClientUploadLimits;
  /** Called after every change; the socket layer tells every page. */
  readonly onChanged: (settings: UploadSettings) => void;
}

/**
 * The host's runtime switches (today: pausing uploads with a message). Kept in the store, not in
 * memory, so a restart or another replica sees the same state; the upload service reads it there.
 */
export class SettingsService {
  constructor(private readonly deps: SettingsServiceDeps) {}

  async uploadSettings(): Promise<UploadSettings> {
    const host = await this.deps.store.readSettings();
    return { paused: host.uploadsPaused, pauseMessage: host.pauseMessage, ...this.deps.limits };
  }

  async pauseUploads(message: unknown): Promise<Result<UploadSettings>> {
    const checked = validatePauseMessage(message);
    if (!checked.ok) return checked;
    await this.update({ uploadsPaused: true, pauseMessage: checked.value });
    return ok(await this.changed());
  }

  async resumeUploads(): Promise<Result<UploadSettings>> {
    await this.update({ uploadsPaused: false, pauseMessage: '' });
    return ok(await this.changed());
  }

  /** Pre-approval on or off: from now on, new photos wait for the host (or go straight to the wall). */
  async requireApproval(on: unknown): Promise<Result<HostSettings>> {
    if (typeof on !== 'boolean') return err(ErrorCode.BadRequest, 'Say true or false.');
    await this.update({ approvalRequired: on });
    return ok(await this.deps.store.readSettings());
  }

  private async update(change: Partial<HostSettings>): Promise<void> {
    await this.deps.store.writeSettings({ ...(await this.deps.store.readSettings()), ...change });
  }

  private async changed(): Promise<UploadSettings> {
    const settings = await this.uploadSettings();
    this.deps.onChanged(settings);
    return settings;
  }
}
