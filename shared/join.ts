/** How guests reach the upload page; the wall shows it as text and as a QR code. */
export interface JoinInfo {
  /** Absolute URL of the upload page, reachable from guests' phones. */
  readonly uploadUrl: string;
}

export const JOIN_INFO_PATH = '/api/join';
export const JOIN_QR_PATH = '/api/join/qr.svg';
