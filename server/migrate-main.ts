/**
 * `MONGODB_URI=mongodb://… DATA_DIR=./data npm run migrate`: moves a laptop event (the embedded
 * store) into MongoDB for the scaled deployment, then reads everything back and checks it: counts,
 * every photo's seq, and the SHA-256 of every image file. Every write is idempotent, so a run that
 * stopped is simply run again; a second run changes nothing and verifies again. The laptop's
 * DATA_DIR is only read.
 */
import path from 'node:path';
import { configOrExit } from './config';
import { DataDirError } from './store/embedded/data-dir';
import { readEvent, type EventPhoto, type EventSnapshot } from './store/embedded/event-reader';
import { EventImport, type PhotoOutcome } from './store/mongo/event-import';
import { verify, type Verification } from './migrate-verify';

const USAGE = 'Usage: MONGODB_URI=mongodb://… DATA_DIR=./data npm run migrate   (optionally MONGODB_DATABASE=name)';
const PROGRESS_EVERY = 50;
/** Photos copied at once: enough to hide the server's round trips, few enough to keep memory flat. */
const PARALLEL = 4;
const MB = 1024 * 1024;

/** A reason to stop before anything is written, told to the host in one line. */
class Refusal extends Error {}
const refused = (e: unknown) => e instanceof Refusal || e instanceof DataDirError;

async function main(): Promise<number> {
  const config = configOrExit(process.env, process.cwd());
  if (!config.mongodbUri) {
    console.error(`MONGODB_URI is not set: nothing to migrate into.\n${USAGE}`);
    return 2;
  }
  const from = shown(config.dataDir);
  const event = await readEvent(config.dataDir);
  const files = event.photos.flatMap((p) => p.variants);
  const size = `${plural(files.length, 'file')}, ${(files.reduce((sum, v) => sum + v.bytes, 0) / MB).toFixed(1)} MB`;
  console.log(`Laptop event in ${from}: ${plural(event.photos.length, 'photo')} (${size}), ${plural(event.guests.length, 'guest')}.`);
  console.log(`Not migrated: ${plural(event.partialUploads, 'partial upload')} (phones send them again) and ${plural(event.adminSessions, 'admin session')} (sign in again).`);
  const target = await EventImport.open(config.mongodbUri, config.mongodbDatabase);
  try {
    const into = `MongoDB database ${target.databaseName}`;
    console.log(`Copying into ${into}…`);
    await refuseUnlessOurs(target, event);
    const failed = await copyPhotos(target, event.photos);
    await copyTheRest(target, event);
    console.log('Verifying (every file is read back from GridFS and hashed)…');
    const result = await verify(event, await target.readBack());
    printTable(result);
    warnAboutCookies(event, config.cookieSecret, from);
    if (failed > 0 || !result.ok) {
      console.error(`Migration from ${from} to ${into} is NOT verified: ${problemCount(result, failed)}. Fix what is listed above and run it again.`);
      return 1;
    }
    console.log(`Migrated ${plural(event.photos.length, 'photo')} (${size}) from ${from} to ${into}: verified.`);
    return 0;
  } finally {
    await target.close();
  }
}

/** Stops before writing anything when MongoDB holds another event (other photos, or a different cookie secret). */
async function refuseUnlessOurs(target: EventImport, event: EventSnapshot): Promise<void> {
  const again = 'Nothing was copied. Migrate into a new database (MONGODB_DATABASE) or drop this one first.';
  const foreign = await target.foreignPhotos(new Set(event.photos.map((p) => p.id)));
  if (foreign > 0) {
    throw new Refusal(`MongoDB database ${target.databaseName} already holds ${plural(foreign, 'photo')} that ${foreign === 1 ? 'is' : 'are'} not from this DATA_DIR. ${again}`);
  }
  // Stored now when absent; the same one is a re-run of this migration.
  if (event.cookieSecret !== null && !(await target.adoptCookieSecret(event.cookieSecret))) {
    throw new Refusal(`MongoDB database ${target.databaseName} already holds a different cookie secret, so it is not this event (a server started on it before?). ${again}`);
  }
}

/** Copies the photos a few at a time, with a progress line every PROGRESS_EVERY; returns how many failed. */
async function copyPhotos(target: EventImport, photos: readonly EventPhoto[]): Promise<number> {
  const started = Date.now();
  const tally = { copied: 0, 'already there': 0, differs: 0, failed: 0 };
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < photos.length) {
      const photo = photos[next++]!;
      const outcome = await target.importPhoto(photo).catch((e: unknown): PhotoOutcome | { kind: 'failed'; why: string } => ({ kind: 'failed', why: messageOf(e) }));
      tally[outcome.kind]++;
      if ('why' in outcome) console.error(`  photo ${photo.id} (seq ${photo.seq}): ${outcome.kind === 'failed' ? 'not copied' : 'differs'}: ${outcome.why}`);
      if (++done % PROGRESS_EVERY === 0 || done === photos.length) {
        const problems = tally.differs + tally.failed > 0 ? `, ${tally.differs} differ, ${tally.failed} failed` : '';
        console.log(`  ${done}/${photos.length} photos (${tally.copied} copied, ${tally['already there']} already there${problems})`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, photos.length) }, worker));
  console.log(`  photos done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return tally.differs + tally.failed;
}

/** Guests, blocks, codes, links, settings, the admin password, and where seq numbering continues. */
async function copyTheRest(target: EventImport, event: EventSnapshot): Promise<void> {
  await target.importGuests(event.guests, event.guestCounter);
  await target.importOwners(event);
  await target.importSettings(event.settings, event.adminHash);
  const top = Math.max(0, ...event.photos.map((p) => p.seq));
  await target.raiseSeq(top);
  console.log(
    `  ${plural(event.guests.length, 'guest number')}, ${plural(event.blocks.length, 'block')}, ${plural(event.codes.length, 'recovery code')}, ` +
      `${plural(event.links.length, 'browser link')}, the settings${event.adminHash ? ' and the admin password' : ''} copied; the next change takes seq ${top + 1}.`,
  );
}

function printTable(result: Verification): void {
  const width = Math.max(...result.rows.map((r) => r.label.length));
  console.log(`  ${''.padEnd(width)}  ${'laptop'.padStart(8)}  ${'MongoDB'.padStart(8)}`);
  for (const row of result.rows) {
    console.log(`  ${row.label.padEnd(width)}  ${String(row.laptop).padStart(8)}  ${String(row.mongo).padStart(8)}  ${row.ok ? 'ok' : 'DIFFERS'}`);
  }
  const listed = result.problems.slice(0, 20);
  for (const problem of listed) console.error(`  ✗ ${problem}`);
  if (result.problems.length > listed.length) console.error(`  ✗ … and ${result.problems.length - listed.length} more`);
}

/** Owner ids are HMACs keyed by the cookie secret: another key would make every guest a stranger to their photos. */
function warnAboutCookies(event: EventSnapshot, configured: string | null, from: string): void {
  if (event.cookieSecret === null) {
    console.warn(`Warning: ${from} has no cookie-secret file, so the laptop ran with COOKIE_SECRET: start the MongoDB deployment with that same COOKIE_SECRET, or guests lose their photos.`);
    return;
  }
  const mismatch = configured !== null && configured !== event.cookieSecret ? ' (the COOKIE_SECRET set here is NOT it)' : '';
  console.warn(
    `Warning: the MongoDB deployment must use the laptop's cookie secret${mismatch}: leave COOKIE_SECRET unset (it reads the one now stored in MongoDB) ` +
      `or set it to the contents of ${path.join(from, 'cookie-secret')}. Any other value makes every guest a stranger to their photos.`,
  );
}

function problemCount(result: Verification, failed: number): string {
  const parts = [failed > 0 ? `${plural(failed, 'photo')} not copied or different` : '', result.problems.length > 0 ? plural(result.problems.length, 'difference') : ''];
  return parts.filter(Boolean).join(', ') || 'the counts differ';
}

/** DATA_DIR as the host would type it: ./data below the current folder, else absolute. */
function shown(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? dir : `./${relative}`;
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function messageOf(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const { code, path: file } = e as NodeJS.ErrnoException;
  if (code === 'ENOENT' && file) return `its file ${file} is missing on the laptop`;
  return e.cause instanceof Error ? `${e.message} (${e.cause.message})` : e.message;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(refused(e) ? `Refused: ${(e as Error).message}` : `Migration failed: ${messageOf(e)}`);
    process.exit(1);
  },
);
