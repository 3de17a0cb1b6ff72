import type { UploadSettings } from '@photobook/shared';
import type { PhotoRecord } from './store/types';

/**
 * The one outbound port for facts (STYLE 13). Services say what happened; realtime/ decides who
 * hears it (walls, the owner's own tabs, later the admin namespace and other replicas via Redis).
 */
export interface Notifier {
  /** A new photo is durably stored. */
  photoAdded(photo: PhotoRecord): void;
  /** A photo was edited, changed state or was removed (its record says which). */
  photoChanged(photo: PhotoRecord): void;
  settingsChanged(settings: UploadSettings): void;
}
