import type { AdminPhotoDto } from '@photobook/shared';

const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB'] as const;

/**
 * 1536 -> "1.5 KB", 268435456 -> "256 MB": binary units (1 MB = 1024 x 1024 bytes) under the usual
 * names, the unit every size the host sets is in (MAX_UPLOAD_BYTES, STORAGE_RESERVE_MB, the settings'
 * MB) and the one the guests' pages use, so a number the host chose reads back the same here.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  // Past three digits, the next unit: 1000 KB reads "1.0 MB", never "1000 KB".
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} bytes`;
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** "4 min" or "35 s": how long a lockout still lasts, rounded up so it never reads "0 min". */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s >= 60) return `${Math.ceil(s / 60)} min`;
  return `${s} s`;
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const DAY_TIME = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' });

/** Today's photos by time only; older ones with the weekday. */
export function formatTime(epochMs: number, now = Date.now()): string {
  const sameDay = new Date(epochMs).toDateString() === new Date(now).toDateString();
  return (sameDay ? TIME : DAY_TIME).format(epochMs);
}

export function isoTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export const STATE_WORDS: Record<AdminPhotoDto['state'], string> = {
  visible: 'On the wall',
  pending: 'Waiting',
  hidden: 'Hidden',
};

/** A long caption is too much to hear on every button or to show in a filmstrip. */
export function shorten(text: string, max = 40): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > max ? `${chars.slice(0, max).join('').trimEnd()}…` : chars.join('');
}

/** What names a photo for a screen reader: its caption, or who sent it and when. */
export function photoLabel(photo: AdminPhotoDto): string {
  return shorten(photo.caption) || `from Guest ${photo.guest} at ${formatTime(photo.createdAt)}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
