import {
  DOWNSCALE_ABOVE_MB_RANGE,
  DOWNSCALE_EDGE_RANGE,
  MAX_TITLE_GRAPHEMES,
  SLIDE_SECONDS_RANGE,
  exceedsGraphemes,
  type EventSettings,
  type EventSettingsPatch,
  type SettingsLimits,
  type WallLayout,
  type WallSettings,
} from '@photobook/shared';

/** The settings form's fields: flat, and the downscale threshold kept while it is switched off. */
export interface SettingsDraft {
  readonly title: string;
  readonly layout: WallLayout;
  readonly slideSeconds: number;
  readonly showCaptions: boolean;
  readonly showTitle: boolean;
  readonly showQr: boolean;
  readonly showCount: boolean;
  readonly maxUploadMb: number;
  readonly uploadsPerGuest: number;
  readonly downscaleOn: boolean;
  readonly downscaleAboveMb: number;
  readonly downscaleMaxEdge: number;
  readonly shareLinks: boolean;
  readonly guestDownloads: boolean;
}

export type DraftField = keyof SettingsDraft;
export type DraftErrors = Partial<Record<DraftField, string>>;

const WALL_FIELDS = ['layout', 'slideSeconds', 'showCaptions', 'showTitle', 'showQr', 'showCount'] as const;
/** What the threshold field offers when the host turns downscaling on from "never". */
const DEFAULT_DOWNSCALE_MB = 8;

export function draftOf(settings: EventSettings): SettingsDraft {
  return {
    title: settings.title,
    ...settings.wall,
    maxUploadMb: settings.maxUploadMb,
    uploadsPerGuest: settings.uploadsPerGuest,
    downscaleOn: settings.downscaleAboveMb !== null,
    downscaleAboveMb: settings.downscaleAboveMb ?? DEFAULT_DOWNSCALE_MB,
    downscaleMaxEdge: settings.downscaleMaxEdge,
    shareLinks: settings.shareLinks,
    guestDownloads: settings.guestDownloads,
  };
}

/**
 * Only what the host changed against the settings as the server last stated them; null when
 * nothing did. Another console's change to another field is then not undone by this save.
 */
export function settingsPatch(base: EventSettings, draft: SettingsDraft): EventSettingsPatch | null {
  const patch: { -readonly [K in keyof EventSettingsPatch]: EventSettingsPatch[K] } = {};
  const title = draft.title.trim();
  if (title !== base.title) patch.title = title;
  const wall: Partial<Record<keyof WallSettings, unknown>> = {};
  for (const key of WALL_FIELDS) if (draft[key] !== base.wall[key]) wall[key] = draft[key];
  if (Object.keys(wall).length) patch.wall = wall as Partial<WallSettings>;
  if (draft.maxUploadMb !== base.maxUploadMb) patch.maxUploadMb = draft.maxUploadMb;
  if (draft.uploadsPerGuest !== base.uploadsPerGuest) patch.uploadsPerGuest = draft.uploadsPerGuest;
  const above = draft.downscaleOn ? draft.downscaleAboveMb : null;
  if (above !== base.downscaleAboveMb) patch.downscaleAboveMb = above;
  if (draft.downscaleMaxEdge !== base.downscaleMaxEdge) patch.downscaleMaxEdge = draft.downscaleMaxEdge;
  if (draft.shareLinks !== base.shareLinks) patch.shareLinks = draft.shareLinks;
  if (draft.guestDownloads !== base.guestDownloads) patch.guestDownloads = draft.guestDownloads;
  return Object.keys(patch).length ? patch : null;
}

/**
 * The settings changed under the form (another console, or this one's save): fields the host has
 * not touched follow the server; fields being edited keep the host's words.
 */
export function rebaseDraft(draft: SettingsDraft, before: EventSettings, after: EventSettings): SettingsDraft {
  const old = draftOf(before);
  const fresh = draftOf(after);
  const next: Record<string, unknown> = { ...draft };
  for (const key of Object.keys(fresh) as DraftField[]) {
    if (draft[key] === old[key]) next[key] = fresh[key];
  }
  return next as unknown as SettingsDraft;
}

function wholeIn(value: number, min: number, max: number, what: string): string | undefined {
  if (!Number.isFinite(value)) return `Enter ${what}.`;
  if (!Number.isInteger(value) || value < min || value > max) return `Choose a whole number from ${min} to ${max}.`;
  return undefined;
}

/** Human checks before sending; the server checks again and its answer shows too. */
export function draftErrors(draft: SettingsDraft, limits: SettingsLimits): DraftErrors {
  const errors: DraftErrors = {
    title: exceedsGraphemes(draft.title.trim(), MAX_TITLE_GRAPHEMES)
      ? `Keep the title under ${MAX_TITLE_GRAPHEMES} characters.`
      : undefined,
    slideSeconds: wholeIn(draft.slideSeconds, SLIDE_SECONDS_RANGE.min, SLIDE_SECONDS_RANGE.max, 'a number of seconds'),
    maxUploadMb: wholeIn(draft.maxUploadMb, 1, limits.maxUploadMb, 'a size in MB'),
    uploadsPerGuest: wholeIn(draft.uploadsPerGuest, 1, limits.maxUploadsPerGuest, 'a number'),
    downscaleAboveMb: draft.downscaleOn
      ? wholeIn(draft.downscaleAboveMb, DOWNSCALE_ABOVE_MB_RANGE.min, DOWNSCALE_ABOVE_MB_RANGE.max, 'a size in MB')
      : undefined,
    downscaleMaxEdge: wholeIn(draft.downscaleMaxEdge, DOWNSCALE_EDGE_RANGE.min, DOWNSCALE_EDGE_RANGE.max, 'a size in pixels'),
  };
  for (const key of Object.keys(errors) as DraftField[]) if (errors[key] === undefined) delete errors[key];
  return errors;
}
