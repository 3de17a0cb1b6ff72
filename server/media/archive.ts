import fs from 'node:fs/promises';
import { ExifTool } from 'exiftool-vendored';

/**
 * The host's archive copy: the guest's file with its metadata removed at the container level
 * (EXIF with GPS and maker notes, XMP, IPTC, comments) and not one pixel re-encoded. Orientation and
 * the colour profile stay, so the photo still shows upright and in its colours. ExifTool (shipped
 * inside exiftool-vendored, run on the system's perl) does the work in a long-lived process.
 */
export class MetadataStripper {
  private readonly exiftool = new ExifTool({ maxProcs: 1, taskTimeoutMillis: 60_000 });

  /** Rewrites `file` in place. */
  async strip(file: string): Promise<void> {
    await this.exiftool.deleteAllTags(file, { retain: ['Orientation', 'ICC_Profile'] });
    // ExifTool keeps the file it rewrote as FILE_original; the source stays in the store anyway.
    await fs.rm(`${file}_original`, { force: true });
  }

  close(): Promise<void> {
    return this.exiftool.end();
  }
}
