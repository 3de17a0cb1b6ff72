import type { UploadBeginRequest, UploadPart } from '@photobook/shared';
import type { UploadRecord } from '../store/types';

/**
 * Preview first (UP22 to UP27): the phone's preview and the original that follows it are two uploads
 * of one clientUploadId. The store keys an open upload by owner and clientUploadId, so the parts are
 * kept apart by a suffix no client can send (client ids are URL-safe: letters, digits, - and _).
 * The photo itself always carries the client's own id, whichever part made it.
 */
const SUFFIX: Readonly<Record<Exclude<UploadPart, 'whole'>, string>> = { preview: ':preview', original: ':original' };

/** The store's clientUploadId for this part of the client's upload. */
export function partKey(clientUploadId: string, part: UploadPart): string {
  return part === 'whole' ? clientUploadId : `${clientUploadId}${SUFFIX[part]}`;
}

/** Which part an upload record holds, and the client's own id for its photo. */
export function partOf(upload: Pick<UploadRecord, 'clientUploadId'>): { readonly part: UploadPart; readonly clientUploadId: string } {
  for (const part of ['preview', 'original'] as const) {
    if (upload.clientUploadId.endsWith(SUFFIX[part])) {
      return { part, clientUploadId: upload.clientUploadId.slice(0, -SUFFIX[part].length) };
    }
  }
  return { part: 'whole', clientUploadId: upload.clientUploadId };
}

/** The begin request as the store keeps it: the part folded into the key. */
export function storedRequest(request: UploadBeginRequest): Omit<UploadBeginRequest, 'part'> {
  const { part = 'whole', ...rest } = request;
  return { ...rest, clientUploadId: partKey(request.clientUploadId, part) };
}
