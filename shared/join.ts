/** How guests reach the upload page; the wall shows it as text and as a QR code. */
export interface JoinInfo {
  /** Absolute URL of the upload page, reachable from guests' phones. */
  readonly uploadUrl: string;
}

export const JOIN_INFO_PATH = '/api/join';
export const JOIN_QR_PATH = '/api/join/qr.svg';

/**
 * What a guest types: the upload address without "https://" (phones add it), e.g.
 * "party.example.com/upload" or "192.168.1.20:3000/upload". The path stays: "/" is the wall itself.
 * The wall, the console and the printed table cards all show this one form.
 */
export function shortAddress(url: string): string {
  return url.replace(/^https?:\/\//i, '').replace(/\/$/, '');
}
