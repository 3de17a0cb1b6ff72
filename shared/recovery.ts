/**
 * Recovery codes: a guest's way to own their photos again on another browser (or after clearing
 * cookies). 13 symbols from 30 letters and digits without look-alikes (no 0/O, 1/I/L, U) carry
 * 63.8 random bits, shown in groups of four: "K7QM-X2RT-9BNW-H". Typing is forgiving: case, spaces
 * and dashes do not matter.
 */
export const RECOVERY_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECOVERY_CODE_LENGTH = 13;

/** The code as typed, reduced to its symbols; null when it cannot be a code at all. */
export function normalizeRecoveryCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const symbols = input.toUpperCase().replace(/[\s-]+/g, '');
  if (symbols.length !== RECOVERY_CODE_LENGTH) return null;
  for (const c of symbols) if (!RECOVERY_ALPHABET.includes(c)) return null;
  return symbols;
}

/** "K7QMX2RT9BNWH" -> "K7QM-X2RT-9BNW-H": easier to read out and to copy by hand. */
export function formatRecoveryCode(symbols: string): string {
  return symbols.replace(/(.{4})(?=.)/g, '$1-');
}
