import {
  ErrorCode,
  applySettingsPatch,
  err,
  ok,
  validatePauseMessage,
  type AdminStateDto,
  type EventSettings,
  type PublicSettings,
  type Result,
} from '@photobook/shared';
import type { Notifier } from '../notifier';
import type { HostSettings, SettingsPatch, SettingsStore } from '../store/types';
import { effectiveSettings, publicSettingsOf, uploadLimitsOf, type SettingsDefaults } from './event-settings';

export interface SettingsServiceDeps {
  readonly store: SettingsStore;
  readonly defaults: SettingsDefaults;
  /** Told after every change: every page and every console follow. */
  readonly notifier: Pick<Notifier, 'settingsChanged'>;
}

/**
 * The host's switches (pause, pre-approval) and event settings. Kept in the store, not in memory,
 * so a restart or another replica sees the same state; the upload service reads it there.
 */
export class SettingsService {
  constructor(private readonly deps: SettingsServiceDeps) {}

  /** What a page is told on connect. */
  async publicSettings(): Promise<PublicSettings> {
    const host = await this.deps.store.readSettings();
    return publicSettingsOf(host, this.event(host), this.deps.defaults);
  }

  async adminState(): Promise<AdminStateDto> {
    return this.adminStateOf(await this.deps.store.readSettings());
  }

  /** The limits an upload begun under these settings must keep (read with the pause, in one store read). */
  uploadLimits(host: HostSettings): { readonly maxUploadBytes: number; readonly maxUploadsPerGuest: number } {
    return uploadLimitsOf(this.event(host), this.deps.defaults);
  }

  async pauseUploads(message: unknown): Promise<Result<AdminStateDto>> {
    const checked = validatePauseMessage(message);
    if (!checked.ok) return checked;
    return ok(await this.update({ uploadsPaused: true, pauseMessage: checked.value }));
  }

  async resumeUploads(): Promise<Result<AdminStateDto>> {
    return ok(await this.update({ uploadsPaused: false, pauseMessage: '' }));
  }

  /** Pre-approval on or off: from now on, new photos wait for the host (or go straight to the wall). */
  async requireApproval(on: unknown): Promise<Result<AdminStateDto>> {
    if (typeof on !== 'boolean') return err(ErrorCode.BadRequest, 'Say true or false.');
    return ok(await this.update({ approvalRequired: on }));
  }

  /** Applies some of the event settings (all checked first: a bad field changes nothing). */
  async changeSettings(patch: unknown): Promise<Result<AdminStateDto>> {
    const host = await this.deps.store.readSettings();
    const next = applySettingsPatch(this.event(host), patch, this.deps.defaults.limits);
    if (!next.ok) return next;
    return ok(await this.update({ event: savedChoices(patch as Record<string, unknown>, next.value) }));
  }

  private event(host: HostSettings): EventSettings {
    return effectiveSettings(host.event, this.deps.defaults);
  }

  private adminStateOf(host: HostSettings): AdminStateDto {
    return {
      uploads: { paused: host.uploadsPaused, pauseMessage: host.pauseMessage, approvalRequired: host.approvalRequired },
      settings: this.event(host),
      limits: this.deps.defaults.limits,
    };
  }

  /** One write per change, so two consoles (or replicas) saving different fields both keep theirs. */
  private async update(change: SettingsPatch): Promise<AdminStateDto> {
    const { store, notifier, defaults } = this.deps;
    const host = await store.updateSettings(change);
    notifier.settingsChanged({ page: publicSettingsOf(host, this.event(host), defaults), admin: this.adminStateOf(host) });
    return this.adminStateOf(host);
  }
}

/**
 * Only what the host chose is saved (as cleaned by the check), field by field, so every field the
 * host never touched keeps following the server's configuration (EVENT_TITLE, MAX_UPLOAD_BYTES, ...).
 */
function savedChoices(patch: Record<string, unknown>, next: EventSettings): NonNullable<SettingsPatch['event']> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(patch)) {
    if (key === 'wall') {
      const chosen = Object.keys(patch['wall'] as object) as (keyof EventSettings['wall'])[];
      for (const field of chosen) out[`wall.${field}`] = next.wall[field];
    } else {
      out[key] = next[key as keyof EventSettings];
    }
  }
  return out;
}
