import type { Ack } from './events';
import type { MyPhotoDto } from './photo';
import type { UploadSettings } from './upload';

/** The admin console's HTTP session: POST signs in ({password}), GET reads it, DELETE signs out. */
export const ADMIN_SESSION_PATH = '/api/admin/session';

/** The admin's own Socket.IO namespace; its handshake needs the admin session cookie. */
export const ADMIN_NAMESPACE = '/admin';

export interface AdminSessionDto {
  readonly signedIn: true;
  /** Epoch ms; the console signs in again after it. */
  readonly expiresAt: number;
}

export interface AdminSignInRequest {
  readonly password: string;
}

/** Free space where the server stores photos (freeBytes null: the backend cannot tell). */
export interface AdminStorageDto {
  readonly freeBytes: number | null;
  readonly reserveBytes: number;
  /** Below the reserve: uploads wait (STORAGE_FULL) until space is freed. */
  readonly full: boolean;
}

export interface AdminStats {
  /** Photos on the wall. */
  readonly photos: number;
  /** Wall screens connected to this server. */
  readonly walls: number;
  /** Partial uploads in progress. */
  readonly uploadsOpen: number;
  readonly storage: AdminStorageDto;
}

/** What the admin console asks on its namespace. A signed-out or expired session is disconnected. */
export interface AdminClientToServerEvents {
  'admin:pause': (request: { readonly message: string }, ack: Ack<UploadSettings>) => void;
  'admin:resume': (request: Record<string, never>, ack: Ack<UploadSettings>) => void;
  'admin:stats': (request: Record<string, never>, ack: Ack<AdminStats>) => void;
  /** Approve (visible), hold back (pending) or hide a photo; every wall follows at once. */
  'admin:moderate': (request: { readonly id: string; readonly state: 'visible' | 'pending' | 'hidden' }, ack: Ack<MyPhotoDto>) => void;
  'admin:remove': (request: { readonly id: string }, ack: Ack<null>) => void;
  /** Stops the guest who uploaded this photo from uploading; with hide, takes all their photos off the walls. */
  'admin:block': (request: { readonly id: string; readonly hide?: boolean }, ack: Ack<{ readonly hidden: number }>) => void;
  /** Pre-approval on or off. */
  'admin:approval': (request: { readonly required: boolean }, ack: Ack<{ readonly required: boolean }>) => void;
}

/** Nothing is pushed to the console yet (the notifier's admin facts come later). */
export type AdminServerToClientEvents = Record<string, never>;
