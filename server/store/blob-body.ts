/** Bytes cross the store port in pieces of at most this size, never as a whole file. */
export const PIECE_BYTES = 1024 * 1024;
/**
 * Pieces for reading a stored image out (an export, the archive job): small, like a file stream's,
 * so that dead buffers are collected long before they add up (1 MB pieces let a 200-photo export's
 * RSS climb by 60 MB before the collector ran).
 */
export const READ_PIECE_BYTES = 64 * 1024;

/** Pieces of an in-memory result (what sharp hands over today), for a NewBlob's body. */
export function piecesOf(data: Uint8Array): () => AsyncIterable<Uint8Array> {
  return async function* pieces() {
    for (let at = 0; at < data.byteLength; at += PIECE_BYTES) yield data.subarray(at, Math.min(at + PIECE_BYTES, data.byteLength));
  };
}

/** Gathers a stream of pieces: for the image decoder, which needs the whole file (inside its turn). */
export async function collect(pieces: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const piece of pieces) parts.push(piece);
  return Buffer.concat(parts);
}
