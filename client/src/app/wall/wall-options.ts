import { DOCUMENT, InjectionToken, inject } from '@angular/core';
import { SLIDE_SECONDS_RANGE, WALL_LAYOUTS, type WallLayout } from '@photobook/shared';

/** The address may ask for faster slides than the host can (a soak test runs hundreds of turns). */
export const URL_SECONDS_MIN = 0.2;

/** The join card's timing from the address, for a spec or a rehearsal: seconds, within these. */
export const URL_JOIN_EVERY_RANGE = { min: 2, max: 3_600 } as const;
export const URL_JOIN_FOR_RANGE = { min: 1, max: 120 } as const;

/** What the wall's address may override, for a quick test on the projector: ?layout=mosaic&seconds=4&lowpower=1. */
export interface WallUrlOptions {
  readonly layout: WallLayout | null;
  /** Seconds per slide, fractions allowed, from URL_SECONDS_MIN to the host's maximum. */
  readonly seconds: number | null;
  /** Fewer effects for a weak device: no pan and zoom, no blurred backdrops, plain fades. */
  readonly lowPower: boolean;
  /** ?joinevery=N: the full-screen join card every N seconds (0: never); null: the default. */
  readonly joinEvery: number | null;
  /** ?joinfor=N: the card stays N seconds; null: the default. */
  readonly joinFor: number | null;
}

/** A number of seconds from the address, clamped to the range; null when absent or not a number. */
function secondsParam(params: URLSearchParams, name: string, range: { min: number; max: number }, zero = false): number | null {
  const value = Number(params.get(name));
  if (!params.has(name) || params.get(name) === '' || !Number.isFinite(value) || value < 0) return null;
  if (value === 0) return zero ? 0 : null;
  return Math.min(range.max, Math.max(range.min, value));
}

export function parseWallOptions(search: string): WallUrlOptions {
  const params = new URLSearchParams(search);
  const layout = params.get('layout');
  const seconds = Number(params.get('seconds'));
  const lowPower = params.get('lowpower');
  return {
    layout: (WALL_LAYOUTS as readonly string[]).includes(layout ?? '') ? (layout as WallLayout) : null,
    seconds: params.has('seconds') && Number.isFinite(seconds) && seconds > 0 ? Math.min(SLIDE_SECONDS_RANGE.max, Math.max(URL_SECONDS_MIN, seconds)) : null,
    lowPower: lowPower !== null && lowPower !== '0' && lowPower !== 'false',
    joinEvery: secondsParam(params, 'joinevery', URL_JOIN_EVERY_RANGE, true),
    joinFor: secondsParam(params, 'joinfor', URL_JOIN_FOR_RANGE),
  };
}

export const WALL_URL_OPTIONS = new InjectionToken<WallUrlOptions>('WALL_URL_OPTIONS', {
  providedIn: 'root',
  factory: () => parseWallOptions(inject(DOCUMENT).location?.search ?? ''),
});
