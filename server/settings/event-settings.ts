import { applySettingsPatch, type EventSettings, type PublicSettings, type SettingsLimits } from '@photobook/shared';
import type { HostSettings } from '../store/types';

const MB = 1024 * 1024;

/** What the server's configuration says before the host changes anything, and how far the host may go. */
export interface SettingsDefaults {
  readonly event: EventSettings;
  readonly limits: SettingsLimits;
  /** MAX_UPLOAD_BYTES: the host's largest size never goes above it (MB rounding aside). */
  readonly maxUploadBytes: number;
}

/** The first event settings, from the configuration. */
export function configuredDefaults(config: {
  readonly maxUploadBytes: number;
  readonly maxUploadsPerGuest: number;
  readonly downscaleAboveBytes: number | null;
  readonly downscaleMaxEdge: number;
  readonly eventTitle: string;
}): SettingsDefaults {
  const maxUploadMb = Math.max(1, Math.floor(config.maxUploadBytes / MB));
  return {
    event: {
      title: config.eventTitle,
      wall: { layout: 'slideshow', slideSeconds: 8, showCaptions: true, showTitle: true, showQr: true, showCount: true },
      maxUploadMb,
      uploadsPerGuest: config.maxUploadsPerGuest,
      downscaleAboveMb: config.downscaleAboveBytes === null ? null : Math.max(1, Math.round(config.downscaleAboveBytes / MB)),
      downscaleMaxEdge: config.downscaleMaxEdge,
      shareLinks: true,
      guestDownloads: true,
    },
    // The host may lower the per-guest cap or raise it a little; PARTIAL_UPLOADS_MAX_MB bounds the total anyway.
    limits: { maxUploadMb, maxUploadsPerGuest: Math.max(config.maxUploadsPerGuest, 20) },
    maxUploadBytes: config.maxUploadBytes,
  };
}

/**
 * The settings in force: the saved ones over the defaults, field by field, so a value the server no
 * longer allows (its limits were lowered since) falls back to the default instead of breaking.
 */
export function effectiveSettings(saved: HostSettings['event'], defaults: SettingsDefaults): EventSettings {
  let settings = defaults.event;
  for (const [key, value] of Object.entries(saved)) {
    const fields = key === 'wall' && value !== null && typeof value === 'object' ? Object.entries(value) : [[null, value] as const];
    for (const [wallKey, fieldValue] of fields) {
      const patch = wallKey === null ? { [key]: fieldValue } : { wall: { [wallKey]: fieldValue } };
      const next = applySettingsPatch(settings, patch, defaults.limits);
      if (next.ok) settings = next.value;
    }
  }
  return settings;
}

/** Upload limits the server enforces under these settings. */
export function uploadLimitsOf(settings: EventSettings, defaults: SettingsDefaults): { readonly maxUploadBytes: number; readonly maxUploadsPerGuest: number } {
  return {
    maxUploadBytes: Math.min(defaults.maxUploadBytes, settings.maxUploadMb * MB),
    maxUploadsPerGuest: settings.uploadsPerGuest,
  };
}

/** What every page is told. */
export function publicSettingsOf(host: HostSettings, settings: EventSettings, defaults: SettingsDefaults): PublicSettings {
  return {
    paused: host.uploadsPaused,
    pauseMessage: host.pauseMessage,
    downscaleAboveBytes: settings.downscaleAboveMb === null ? null : settings.downscaleAboveMb * MB,
    downscaleMaxEdge: settings.downscaleMaxEdge,
    maxUploadBytes: uploadLimitsOf(settings, defaults).maxUploadBytes,
    title: settings.title,
    wall: settings.wall,
    approvalRequired: host.approvalRequired,
    shareLinks: settings.shareLinks,
    guestDownloads: settings.guestDownloads,
  };
}
