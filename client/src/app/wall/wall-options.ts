import { DOCUMENT, InjectionToken, inject } from '@angular/core';
import { SLIDE_SECONDS_RANGE, WALL_LAYOUTS, type WallLayout } from '@photobook/shared';

/** The address may ask for faster slides than the host can (a soak test runs hundreds of turns). */
export const URL_SECONDS_MIN = 0.2;

/** What the wall's address may override, for a quick test on the projector: ?layout=mosaic&seconds=4&lowpower=1. */
export interface WallUrlOptions {
  readonly layout: WallLayout | null;
  /** Seconds per slide, fractions allowed, from URL_SECONDS_MIN to the host's maximum. */
  readonly seconds: number | null;
  /** Fewer effects for a weak device: no pan and zoom, no blurred backdrops, plain fades. */
  readonly lowPower: boolean;
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
  };
}

export const WALL_URL_OPTIONS = new InjectionToken<WallUrlOptions>('WALL_URL_OPTIONS', {
  providedIn: 'root',
  factory: () => parseWallOptions(inject(DOCUMENT).location?.search ?? ''),
});
