import type { BookCoverPage, BookRequest, BookStatusDto } from './book';
import type { ErrorCode } from './errors';
import type { Ack } from './events';
import type { EventSettings, EventSettingsPatch, SettingsLimits } from './event-settings';
import type { MyPhotoDto } from './photo';

/** The admin console's HTTP session: POST signs in ({password}), GET reads it, DELETE signs out. */
export const ADMIN_SESSION_PATH = '/api/admin/session';

/** The admin's own Socket.IO namespace; its handshake needs the admin session cookie. */
export const ADMIN_NAMESPACE = '/admin';

/** Display and thumb images of any photo the host can see (pending and hidden too), by content key. */
export const ADMIN_MEDIA_PATH = '/api/admin/media';

/** GET: a ZIP of the visible photos' archive copies with manifest.csv and manifest.json, streamed. */
export const ADMIN_EXPORT_PATH = '/api/admin/export.zip';

export interface AdminSessionDto {
  readonly signedIn: true;
  /** Epoch ms; the console signs in again after it. */
  readonly expiresAt: number;
}

export interface AdminSignInRequest {
  readonly password: string;
}

/** What a refused admin HTTP request answers (JSON), besides its status. */
export interface AdminHttpError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** Free space where the server stores photos (freeBytes null: the backend cannot tell). */
export interface AdminStorageDto {
  readonly freeBytes: number | null;
  /** Bytes held by photos' images and by partial uploads. */
  readonly usedBytes: number;
  /** Uploads are refused below this much free space (STORAGE_RESERVE_MB / MIN_FREE_DISK_MB). */
  readonly reserveBytes: number;
  /** Below the reserve: uploads wait (STORAGE_FULL) until space is freed. */
  readonly full: boolean;
}

/**
 * The server replicas behind this console. `redis` is 'off' for one server on its own (no REDIS_URL),
 * 'up' while replicas share events, 'down' while the link is lost: each replica then serves only its
 * own screens and phones, and they catch up when it returns.
 */
export interface AdminClusterDto {
  readonly redis: 'off' | 'up' | 'down';
  /** Replicas that answered for the counts (this one included). */
  readonly replicas: number;
  /** Some replica did not answer in time: walls may be more than counted. */
  readonly partial: boolean;
}

export interface AdminStats {
  readonly photos: { readonly visible: number; readonly pending: number; readonly hidden: number };
  /** Guests with at least one photo that is not deleted. */
  readonly guests: number;
  /** Wall screens connected, on every replica that answered. */
  readonly walls: number;
  /** Partial uploads in progress (all replicas: they live in the store). */
  readonly uploadsOpen: number;
  readonly storage: AdminStorageDto;
  readonly cluster: AdminClusterDto;
}

/** The host's switches for uploads. */
export interface AdminUploadState {
  readonly paused: boolean;
  readonly pauseMessage: string;
  readonly approvalRequired: boolean;
}

/** Everything the console shows at start, and again whenever the host (here or elsewhere) changes it. */
export interface AdminStateDto {
  readonly uploads: AdminUploadState;
  readonly settings: EventSettings;
  readonly limits: SettingsLimits;
}

/**
 * A photo as the host sees it. The uploader appears only as a stable alias number ("Guest 17"),
 * never as an id. Image URLs point to ADMIN_MEDIA_PATH, so pending and hidden photos show too.
 */
export interface AdminPhotoDto extends MyPhotoDto {
  /** The guest's alias number: the first guest to upload is 1. */
  readonly guest: number;
  readonly guestBlocked: boolean;
}

export type AdminStateFilter = 'all' | 'visible' | 'pending' | 'hidden';

export const ADMIN_PAGE_LIMIT = 100;
export const ADMIN_BULK_LIMIT = 500;

export interface AdminPhotoQuery {
  readonly state: AdminStateFilter;
  /** Matches caption or name, case-insensitively (empty: everything). */
  readonly search: string;
  /** Only this guest's photos (their alias number), or null. */
  readonly guest: number | null;
  /** From AdminPhotoPage.next: the page after; null: the newest first. */
  readonly cursor: string | null;
  /** At most ADMIN_PAGE_LIMIT. */
  readonly limit: number;
}

export interface AdminPhotoPage {
  /** Newest upload first. */
  readonly photos: readonly AdminPhotoDto[];
  /** Pass as cursor for the next page; null at the end. */
  readonly next: string | null;
  /** The feed position of this answer: ask admin:changes from here. */
  readonly seq: number;
}

/** What changed after a seq: photos as they are now (any state) and ids deleted. */
export interface AdminChanges {
  readonly photos: readonly AdminPhotoDto[];
  readonly removed: readonly string[];
  readonly seq: number;
}

export type AdminBulkAction = 'visible' | 'pending' | 'hidden' | 'remove';

/** What the admin console asks on its namespace. A signed-out or expired session is disconnected. */
export interface AdminClientToServerEvents {
  'admin:state': (request: Record<string, never>, ack: Ack<AdminStateDto>) => void;
  'admin:pause': (request: { readonly message: string }, ack: Ack<AdminStateDto>) => void;
  'admin:resume': (request: Record<string, never>, ack: Ack<AdminStateDto>) => void;
  /** Pre-approval on or off. */
  'admin:approval': (request: { readonly required: boolean }, ack: Ack<AdminStateDto>) => void;
  /** Changes some event settings; every page follows at once. */
  'admin:settings': (request: EventSettingsPatch, ack: Ack<AdminStateDto>) => void;
  'admin:stats': (request: Record<string, never>, ack: Ack<AdminStats>) => void;
  'admin:photos': (request: AdminPhotoQuery, ack: Ack<AdminPhotoPage>) => void;
  'admin:changes': (request: { readonly sinceSeq: number }, ack: Ack<AdminChanges>) => void;
  /** Approve (visible), hold back (pending) or hide a photo; every wall follows at once. */
  'admin:moderate': (request: { readonly id: string; readonly state: 'visible' | 'pending' | 'hidden' }, ack: Ack<AdminPhotoDto>) => void;
  'admin:remove': (request: { readonly id: string }, ack: Ack<null>) => void;
  /** One action on many photos (at most ADMIN_BULK_LIMIT); answers how many changed. */
  'admin:bulk': (request: { readonly ids: readonly string[]; readonly action: AdminBulkAction }, ack: Ack<{ readonly changed: number }>) => void;
  /** Stops the guest who uploaded this photo from uploading; with hide, takes all their photos off the walls. */
  'admin:block': (request: { readonly id: string; readonly hide?: boolean }, ack: Ack<{ readonly hidden: number }>) => void;
  /** Lets the guest who uploaded this photo upload again. */
  'admin:unblock': (request: { readonly id: string }, ack: Ack<null>) => void;
  /** Queues a photo book (BOOK_BUSY while one is queued or being made; BOOK_EMPTY with no visible photo). */
  'admin:book': (request: BookRequest, ack: Ack<BookStatusDto>) => void;
  /** The book asked for last and the one ready to download. */
  'admin:book-status': (request: Record<string, never>, ack: Ack<BookStatusDto>) => void;
  /** Visible photos oldest first (the book's order), for the cover picker; `from` is a page's `next`. */
  'admin:book-photos': (request: { readonly from: number }, ack: Ack<BookCoverPage>) => void;
}

/** Facts pushed to every signed-in console. */
export interface AdminServerToClientEvents {
  /** Some photo was added or changed: the console asks admin:changes from its last seq. */
  'photos:changed': (fact: { readonly seq: number }) => void;
  /** The host's switches or settings changed (in this console or another one). */
  'state:changed': (state: AdminStateDto) => void;
  /** A photo book was queued, made progress, became ready or failed (on any replica). */
  'book:changed': (status: BookStatusDto) => void;
}
