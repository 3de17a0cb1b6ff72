import QRCode from 'qrcode';

/**
 * Every QR code Photobook makes: the wall's (SVG) and the printed table cards' (the module matrix,
 * drawn as vector squares). One place, so both sides encode the same text at the same level.
 * Level M (15% of the code may be lost) copes with a projector's hot spot or a crease in a card; the
 * version (size) is the smallest that holds the text, so a shorter address gives bigger modules.
 */
const ERROR_CORRECTION = 'M';

/** Light modules round the code on the wall's SVG: a white margin that is part of the image. */
export const WALL_QUIET_MODULES = 2;

/** The code's modules: size x size, dark(row, col) true for a black square. */
export interface QrMatrix {
  readonly size: number;
  dark(row: number, col: number): boolean;
}

export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: ERROR_CORRECTION });
  return { size: modules.size, dark: (row, col) => modules.get(row, col) === 1 };
}

/** The code as an SVG image, dark on white, with its quiet zone inside the image. */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', margin: WALL_QUIET_MODULES, errorCorrectionLevel: ERROR_CORRECTION, color: { dark: '#000000', light: '#ffffff' } });
}
