import fs from 'node:fs/promises';
import os from 'node:os';
import { ExifTool } from 'exiftool-vendored';

/**
 * The host's archive copy: the guest's file with its metadata removed at the container level
 * (EXIF with GPS and maker notes, XMP, IPTC, comments) and not one pixel re-encoded. Orientation and
 * the colour profile stay, so the photo still shows upright and in its colours. ExifTool (shipped
 * inside exiftool-vendored, run on the system's perl) does the work in a long-lived process.
 */
export class MetadataStripper {
  private readonly exiftool = new ExifTool({ maxProcs: 1, taskTimeoutMillis: 60_000 });
  /** ExifTool processes already given the lowest CPU priority. */
  private readonly lowered = new Set<number>();

  /** Rewrites `file` in place. */
  async strip(file: string): Promise<void> {
    await this.yieldCpu();
    await this.exiftool.deleteAllTags(file, { retain: ['Orientation', 'ICC_Profile'] });
    // ExifTool keeps the file it rewrote as FILE_original; the source stays in the store anyway.
    await fs.rm(`${file}_original`, { force: true });
  }

  /**
   * ExifTool runs at the lowest CPU priority (nice 19): when it and the server both want a core, the
   * server, with photos on their way to the wall, gets it. (Measured here, upload-to-wall one photo at
   * a time, each one's archive copy behind it: 122-126 ms with no archive copies, 130-143 ms with
   * them; with ExifTool lowered and archiveStep's pauses, 127-144 ms, no clear change: the copy's own
   * reads, writes and hashing in this process remain.) Its process starts on first use (a version
   * query here) and again after a crash, hence the check before each copy.
   */
  private async yieldCpu(): Promise<void> {
    if (this.exiftool.pids.length === 0) await this.exiftool.version();
    const running = new Set(this.exiftool.pids);
    // A pid that ended may come back as another process's: forget it.
    for (const pid of this.lowered) if (!running.has(pid)) this.lowered.delete(pid);
    for (const pid of running) {
      if (this.lowered.has(pid)) continue;
      try {
        os.setPriority(pid, 19);
      } catch {
        // Gone meanwhile (its replacement is lowered before the next copy), or not ours to change.
      }
      this.lowered.add(pid);
    }
  }

  close(): Promise<void> {
    return this.exiftool.end();
  }
}
