import { isId, type PhotoDto, type PublicSettings } from '@photobook/shared';
import { toPhotoDto } from '../photos/dto';
import type { MediaFile, PhotoRecord, PhotoStore, VariantKind } from '../store/types';

export interface SharedPhotosDeps {
  readonly store: Pick<PhotoStore, 'getPhoto' | 'openVariant'>;
  /** The host's settings as every page hears them; read anew for each request. */
  readonly settings: () => Promise<PublicSettings>;
}

/** What a share page shows: the photo as any page sees it, and the event around it. */
export interface SharedPhoto {
  readonly photo: PhotoDto;
  /** The display image's type, for og:image:type. */
  readonly displayType: string;
  readonly title: string;
  /** The host lets guests download it (the page then offers the download). */
  readonly downloads: boolean;
}

/** A guest's download: the file, its content key (the ETag) and where it stands in the feed. */
export interface PhotoDownload {
  readonly media: MediaFile;
  readonly key: string;
  readonly seq: number;
  readonly title: string;
  /** 'original': the archive copy; 'display': no original yet (the job has not run, or only a preview came). */
  readonly copy: 'original' | 'display';
}

/**
 * The copies a guest may download, best first. The source (the upload as sent, GPS and all) is
 * never among them: until the archive job strips it, the display image stands in.
 */
const DOWNLOADABLE: readonly VariantKind[] = ['original', 'display'];

/**
 * Share links and guest downloads. The photo and the host's switches are read on every request, so
 * a hide, a removal or a switch turned off (on any replica) answers 404 from the next request on.
 * Nothing but what PhotoDto carries ever reaches a page: no owner key, no guest id.
 */
export class SharedPhotos {
  constructor(private readonly deps: SharedPhotosDeps) {}

  /** The photo behind a share link; null (404) when it is not shown to guests or links are off. */
  async page(id: unknown): Promise<SharedPhoto | null> {
    const found = await this.visible(id, 'shareLinks');
    if (!found) return null;
    const display = found.record.variants.find((v) => v.kind === 'display');
    if (!display) return null;
    return {
      photo: toPhotoDto(found.record),
      displayType: display.contentType,
      title: found.settings.title,
      downloads: found.settings.guestDownloads,
    };
  }

  /** The photo's best copy a guest may download; null (404) when it is not shown or downloads are off. */
  async download(id: unknown): Promise<PhotoDownload | null> {
    const found = await this.visible(id, 'guestDownloads');
    if (!found) return null;
    for (const kind of DOWNLOADABLE) {
      const variant = found.record.variants.find((v) => v.kind === kind);
      if (!variant) continue;
      const media = await this.deps.store.openVariant(found.record.id, kind);
      // Swapped or gone since the read (the photo was removed meanwhile): nothing to give.
      if (!media) return null;
      return { media, key: variant.key, seq: found.record.seq, title: found.settings.title, copy: kind as PhotoDownload['copy'] };
    }
    return null;
  }

  private async visible(id: unknown, gate: 'shareLinks' | 'guestDownloads'): Promise<{ record: PhotoRecord; settings: PublicSettings } | null> {
    // A malformed id never reaches the store.
    if (!isId(id)) return null;
    const [record, settings] = await Promise.all([this.deps.store.getPhoto(id), this.deps.settings()]);
    if (!settings[gate] || !record || record.state !== 'visible') return null;
    return { record, settings };
  }
}
