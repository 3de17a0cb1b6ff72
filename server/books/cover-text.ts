import type { BookOptions } from '../store/types';

/** When the host left the title empty and the event has none. */
const UNTITLED = 'Our photo book';
const DEFAULT_LOCALE = 'en-GB';

export async function coverTitle(options: BookOptions, eventTitle: () => Promise<string>): Promise<string> {
  return options.title ?? ((await eventTitle()).trim() || UNTITLED);
}

/**
 * The day on the cover, as people write it in the host's language ("6 December 2026" in en-GB,
 * "December 6, 2026" in en-US): the day the host typed, else the first photo's day where the host is.
 */
export function coverDate(options: BookOptions, firstPhotoAt: number): string {
  const locale = options.locale ?? DEFAULT_LOCALE;
  const parts = { day: 'numeric', month: 'long', year: 'numeric' } as const;
  if (options.date) {
    const [y, m, d] = options.date.split('-').map(Number) as [number, number, number];
    return new Intl.DateTimeFormat(locale, { ...parts, timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
  }
  return new Intl.DateTimeFormat(locale, { ...parts, ...(options.timeZone ? { timeZone: options.timeZone } : {}) }).format(new Date(firstPhotoAt));
}
