import { err, ok, type Result } from './result';
import { ErrorCode } from './errors';
import { validateTitle } from './validate';

/** How the projector wall shows photos (issue 11 builds the layouts; the setting lives here). */
export const WALL_LAYOUTS = ['slideshow', 'mosaic', 'mixed'] as const;
export type WallLayout = (typeof WALL_LAYOUTS)[number];

/** What a wall needs to know about the show; part of every page's settings. */
export interface WallSettings {
  readonly layout: WallLayout;
  /** How long each photo stays on stage, in seconds. */
  readonly slideSeconds: number;
  readonly showCaptions: boolean;
  readonly showTitle: boolean;
  readonly showQr: boolean;
  readonly showCount: boolean;
}

/**
 * The event's settings the host edits in the console. Persisted in the store; every connected page
 * follows a change at once. Sizes are bounded by the server's own limits (SettingsLimits).
 */
export interface EventSettings {
  readonly title: string;
  readonly wall: WallSettings;
  /** Largest photo a guest may send, in MB (at most the server's MAX_UPLOAD_BYTES). */
  readonly maxUploadMb: number;
  /** Uploads one guest may have open at once. */
  readonly uploadsPerGuest: number;
  /** Phones downscale photos above this many MB first; null: never. */
  readonly downscaleAboveMb: number | null;
  /** Long edge in pixels of a photo downscaled on the phone. */
  readonly downscaleMaxEdge: number;
  /** Guests may share a photo's link (/p/:id); off answers those links 404 at once (a private event). */
  readonly shareLinks: boolean;
  /** Guests may download a photo's full-quality copy from the gallery. */
  readonly guestDownloads: boolean;
}

/** A change the host sends: any subset of fields (wall fields too), the rest stays. */
export interface EventSettingsPatch {
  readonly title?: string;
  readonly wall?: Partial<WallSettings>;
  readonly maxUploadMb?: number;
  readonly uploadsPerGuest?: number;
  readonly downscaleAboveMb?: number | null;
  readonly downscaleMaxEdge?: number;
  readonly shareLinks?: boolean;
  readonly guestDownloads?: boolean;
}

/** The server's ceilings on what the host may choose (from its configuration). */
export interface SettingsLimits {
  readonly maxUploadMb: number;
  readonly maxUploadsPerGuest: number;
}

export const SLIDE_SECONDS_RANGE = { min: 2, max: 120 } as const;
export const DOWNSCALE_EDGE_RANGE = { min: 640, max: 16384 } as const;
export const DOWNSCALE_ABOVE_MB_RANGE = { min: 1, max: 2048 } as const;

function bad<T>(message: string): Result<T> {
  return err(ErrorCode.BadRequest, message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function whole(value: unknown, name: string, min: number, max: number): Result<number> {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    return bad(`${name} must be a whole number from ${min} to ${max}.`);
  }
  return ok(value);
}

function flag(value: unknown, name: string): Result<boolean> {
  return typeof value === 'boolean' ? ok(value) : bad(`${name} must be true or false.`);
}

function validateWall(input: unknown, base: WallSettings): Result<WallSettings> {
  if (!isRecord(input)) return bad('wall must be an object.');
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(input)) {
    let checked: Result<unknown>;
    if (key === 'layout') {
      checked = (WALL_LAYOUTS as readonly unknown[]).includes(value) ? ok(value) : bad(`layout must be one of ${WALL_LAYOUTS.join(', ')}.`);
    } else if (key === 'slideSeconds') {
      checked = whole(value, 'slideSeconds', SLIDE_SECONDS_RANGE.min, SLIDE_SECONDS_RANGE.max);
    } else if (key === 'showCaptions' || key === 'showTitle' || key === 'showQr' || key === 'showCount') {
      checked = flag(value, key);
    } else {
      return bad(`Unknown wall setting: ${key.slice(0, 40)}.`);
    }
    if (!checked.ok) return checked as Result<WallSettings>;
    out[key] = checked.value;
  }
  return ok(out as unknown as WallSettings);
}

/**
 * Applies a host's patch to the current settings, checking every field against the server's
 * ceilings. Unknown fields are refused (a typo must not look saved).
 */
export function applySettingsPatch(current: EventSettings, input: unknown, limits: SettingsLimits): Result<EventSettings> {
  if (!isRecord(input)) return bad('The settings must be an object.');
  let next: EventSettings = current;
  for (const [key, value] of Object.entries(input)) {
    let checked: Result<Partial<EventSettings>>;
    if (key === 'title') {
      const title = validateTitle(value);
      checked = title.ok ? ok({ title: title.value }) : title;
    } else if (key === 'wall') {
      const wall = validateWall(value, next.wall);
      checked = wall.ok ? ok({ wall: wall.value }) : wall;
    } else if (key === 'maxUploadMb') {
      const mb = whole(value, 'maxUploadMb', 1, limits.maxUploadMb);
      checked = mb.ok ? ok({ maxUploadMb: mb.value }) : mb;
    } else if (key === 'uploadsPerGuest') {
      const n = whole(value, 'uploadsPerGuest', 1, limits.maxUploadsPerGuest);
      checked = n.ok ? ok({ uploadsPerGuest: n.value }) : n;
    } else if (key === 'downscaleAboveMb') {
      const mb = value === null ? ok(null) : whole(value, 'downscaleAboveMb', DOWNSCALE_ABOVE_MB_RANGE.min, DOWNSCALE_ABOVE_MB_RANGE.max);
      checked = mb.ok ? ok({ downscaleAboveMb: mb.value }) : mb;
    } else if (key === 'downscaleMaxEdge') {
      const edge = whole(value, 'downscaleMaxEdge', DOWNSCALE_EDGE_RANGE.min, DOWNSCALE_EDGE_RANGE.max);
      checked = edge.ok ? ok({ downscaleMaxEdge: edge.value }) : edge;
    } else if (key === 'shareLinks' || key === 'guestDownloads') {
      const on = flag(value, key);
      checked = on.ok ? ok({ [key]: on.value }) : on;
    } else {
      return bad(`Unknown setting: ${key.slice(0, 40)}.`);
    }
    if (!checked.ok) return checked as Result<EventSettings>;
    next = { ...next, ...checked.value };
  }
  return ok(next);
}
