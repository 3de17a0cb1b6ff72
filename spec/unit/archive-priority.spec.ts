/** ExifTool, which makes the host's archive copies, runs at the lowest CPU priority (server/media/archive.ts). */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { MetadataStripper } from '../../server/media/archive';

/** This process's children whose command line mentions exiftool, with their nice values. */
async function exiftoolChildren(): Promise<number[]> {
  const nices: number[] = [];
  for (const entry of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await fs.readFile(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = await fs.readFile(`/proc/${entry}/cmdline`, 'utf8');
      if (Number(fields[1]) === process.pid && cmdline.includes('exiftool')) nices.push(Number(fields[16]));
    } catch {
      // Gone meanwhile.
    }
  }
  return nices;
}

describe('the archive copy tool', () => {
  it('runs at nice 19 from its first copy, so copies never take the cores from photos on their way to the wall', async () => {
    if (process.platform !== 'linux') pending('reads /proc');
    const ours = os.getPriority();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-nice-'));
    const stripper = new MetadataStripper();
    try {
      const file = path.join(dir, 'photo.jpg');
      await fs.writeFile(file, await sharp({ create: { width: 64, height: 48, channels: 3, background: '#369' } }).jpeg().toBuffer());
      await stripper.strip(file);
      const nices = await exiftoolChildren();
      expect(nices.length).toBeGreaterThan(0);
      expect(nices.every((n) => n === 19)).withContext(`nice values ${nices.join(', ')}`).toBeTrue();
      expect(os.getPriority()).withContext('the server itself keeps its priority').toBe(ours);
    } finally {
      await stripper.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
