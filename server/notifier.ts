import type { AdminStateDto, PublicSettings } from '@photobook/shared';
import type { BookRecord, PhotoRecord } from './store/types';

/** The host changed a switch or a setting: what pages are told, and what consoles are told. */
export interface SettingsFact {
  readonly page: PublicSettings;
  readonly admin: AdminStateDto;
}

/**
 * The one outbound port for facts (STYLE 13). Services say what happened; realtime/ decides who
 * hears it (walls, the owner's own tabs, the admin consoles, later other replicas via Redis).
 */
export interface Notifier {
  /** A new photo is durably stored. */
  photoAdded(photo: PhotoRecord): void;
  /** A photo was edited, changed state or was removed (its record says which). */
  photoChanged(photo: PhotoRecord): void;
  settingsChanged(fact: SettingsFact): void;
  /**
   * Durable jobs were queued (a new photo's archive copy): whoever runs jobs, on this replica, on
   * the others or later in a worker, looks now instead of at its next poll. A lost one costs a poll.
   */
  jobsQueued(): void;
  /** A photo book was queued, made progress, became ready or failed: these are the books now. */
  bookChanged(books: BookFact): void;
}

/** The book asked for last and the one ready to download (BookStore.books()). */
export interface BookFact {
  readonly latest: BookRecord | null;
  readonly ready: BookRecord | null;
}
