import { createHash } from 'node:crypto';

export const WALL_ROOM = 'wall';

/**
 * The owner's own tabs (those that listed their photos). Named by a hash of the owner key, so not
 * even a room listing (adapter state, Redis channel names later) shows the key.
 */
export function ownerRoom(ownerId: string): string {
  return `owner:${createHash('sha256').update(ownerId).digest('base64url').slice(0, 22)}`;
}
