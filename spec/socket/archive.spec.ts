/**
 * The host's archive copy (issue 9): made off the path to the wall, as a durable job, from the upload
 * as sent: metadata gone at the container level, pixels untouched, orientation and colour profile kept.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ExifTool } from 'exiftool-vendored';
import sharp from 'sharp';
import type { PhotoDto, WallSnapshot } from '@photobook/shared';
import { collect } from '../../server/store/blob-body';
import { connectClient, guestCookie, request, startTestServer, uploadFile, type TestServer } from '../fixtures/server';

/** A photo as phones make them: orientation 6, a colour profile, GPS, XMP, IPTC and a comment. */
async function photoWithEverything(exiftool: ExifTool): Promise<Buffer> {
  const noise = { type: 'gaussian' as const, mean: 128, sigma: 40 };
  const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#4a7', noise } })
    .withIccProfile('p3')
    .jpeg({ quality: 88 })
    .toBuffer();
  const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-exif-')), 'phone.jpg');
  await fs.writeFile(file, jpeg);
  await exiftool.write(
    file,
    {
      'Orientation#': 6,
      GPSLatitude: 48.8584,
      GPSLatitudeRef: 'N',
      GPSLongitude: 2.2945,
      GPSLongitudeRef: 'E',
      Make: 'PhoneMaker',
      Model: 'Phone 15',
      Comment: 'secret comment',
      'XMP-dc:Creator': ['Guest Name'],
      'IPTC:Keywords': ['party'],
    } as never,
    ['-overwrite_original'],
  );
  const bytes = await fs.readFile(file);
  await fs.rm(path.dirname(file), { recursive: true, force: true });
  return bytes;
}

describe('the archive copy', () => {
  let exiftool: ExifTool;
  let phone: Buffer;
  let server: TestServer | null = null;

  beforeAll(async () => {
    exiftool = new ExifTool({ maxProcs: 1 });
    phone = await photoWithEverything(exiftool);
  });
  afterAll(async () => exiftool.end());
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  const tagsOf = async (bytes: Buffer) => {
    const file = path.join(os.tmpdir(), `photobook-read-${process.pid}-${Math.random().toString(36).slice(2)}.jpg`);
    await fs.writeFile(file, bytes);
    try {
      return (await exiftool.read(file, { readArgs: ['-n', '-G1'] } as never)) as unknown as Record<string, unknown>;
    } finally {
      await fs.rm(file, { force: true });
    }
  };
  const archived = async (srv: TestServer, id: string) => {
    const variant = await srv.store.readVariant(id, 'original');
    return variant ? collect(variant.body) : null;
  };

  it('keeps every pixel of a JPEG bit for bit and no metadata but its orientation and colour profile', async () => {
    const before = await tagsOf(phone);
    expect(before['File:Comment']).withContext('the fixture has a comment').toBe('secret comment');
    server = await startTestServer();
    const guest = await connectClient(server.url, { cookie: guestCookie().cookie });
    const uploaded = await uploadFile(guest, phone);
    guest.disconnect();
    if (!uploaded.ok) throw new Error(uploaded.error.code);
    await server.app.archive.idle();
    const copy = await archived(server, uploaded.value.id);
    expect(copy).withContext('archived').not.toBeNull();
    const [pixelsBefore, pixelsAfter] = await Promise.all([sharp(phone).raw().toBuffer(), sharp(copy!).raw().toBuffer()]);
    expect(pixelsAfter.equals(pixelsBefore)).withContext('decoded pixels are identical').toBeTrue();
    const after = await tagsOf(copy!);
    const groups = new Set(Object.keys(after).map((k) => k.split(':')[0]));
    for (const gone of ['GPS', 'XMP-dc', 'IPTC', 'ExifIFD', 'File:Comment']) {
      expect(groups.has(gone) || Object.keys(after).includes(gone)).withContext(gone).toBeFalse();
    }
    expect(Object.keys(after).filter((k) => /^IFD0:(Make|Model)$/.test(k))).withContext('camera make and model').toEqual([]);
    expect(Object.keys(before).filter((k) => /^(GPS|IPTC|XMP-dc|IFD0):(GPSLatitude|Keywords|Creator|Make)$/.test(k)).length).withContext('the fixture had them').toBe(4);
    expect(after['IFD0:Orientation']).toBe(6);
    expect(groups.has('ICC_Profile')).withContext('the colour profile stays').toBeTrue();
    expect(await server.store.readVariant(uploaded.value.id, 'source')).withContext('the source is gone').toBeNull();
  });

  it('is still made when the server stopped between the commit and the archive job', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'photobook-restart-'));
    const crashing = { strip: async () => Promise.reject(new Error('the server stopped here')), close: async () => undefined };
    const first = await startTestServer({ dataDir, stripper: crashing });
    const guest = await connectClient(first.url, { cookie: guestCookie().cookie });
    const uploaded = await uploadFile(guest, phone);
    guest.disconnect();
    if (!uploaded.ok) throw new Error(uploaded.error.code);
    await first.app.archive.idle();
    expect(await archived(first, uploaded.value.id)).toBeNull();
    await first.stop();
    // Hours later (past the retry delay) the restarted server finishes the job it finds in the store.
    server = await startTestServer({ dataDir, now: () => Date.now() + 2 * 60 * 60_000 });
    await server.app.archive.idle();
    const copy = await archived(server, uploaded.value.id);
    expect(copy).not.toBeNull();
    expect((await sharp(copy!).raw().toBuffer()).equals(await sharp(phone).raw().toBuffer())).toBeTrue();
  });

  it('never lets a wall see a photo whose display image is not stored yet', async () => {
    server = await startTestServer();
    const srv = server;
    const wall = await connectClient(srv.url, { cookie: guestCookie().cookie });
    await request<WallSnapshot>(wall, 'wall:join', { sinceSeq: null });
    const statuses: number[] = [];
    const fetched = new Promise<void>((resolve) =>
      wall.on('photo:added', (photo: PhotoDto) => {
        void Promise.all([fetch(srv.url + photo.displayUrl), fetch(srv.url + photo.thumbUrl)]).then((r) => {
          statuses.push(...r.map((x) => x.status));
          if (statuses.length >= 6) resolve();
        });
      }),
    );
    const guest = await connectClient(srv.url, { cookie: guestCookie().cookie });
    for (let i = 0; i < 3; i++) await uploadFile(guest, phone, { clientUploadId: `archive-wall-${i}-000` });
    await fetched;
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    wall.disconnect();
    guest.disconnect();
  });
});
