/**
 * The upload state machine's chunk rule, free of I/O: given what the server holds, what to do with
 * an incoming chunk. Rules are numbered in spec/UPLOAD-PROTOCOL.md.
 */
export type ChunkDecision =
  /** Write the chunk from byte `skip` on, at the current end (UP4: overlap keeps only new bytes). */
  | { readonly kind: 'append'; readonly skip: number }
  /** Every byte is already held: ack without writing (UP5). */
  | { readonly kind: 'duplicate' }
  /** The chunk starts after the end: the client must go back to `expected` (UP6). */
  | { readonly kind: 'gap'; readonly expected: number }
  /** The chunk ends past the declared size: the upload is aborted (UP7). */
  | { readonly kind: 'overflow' };

export function decideChunk(received: number, size: number, offset: number, length: number): ChunkDecision {
  if (offset + length > size) return { kind: 'overflow' };
  if (offset > received) return { kind: 'gap', expected: received };
  if (offset + length <= received) return { kind: 'duplicate' };
  return { kind: 'append', skip: received - offset };
}
