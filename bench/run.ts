/**
 * The benchmark harness (issue 9): `npm run bench` for the full run, `-- --quick` for a short one
 * (under 3 minutes on a 2-core machine), `-- --only=<name>[,<name>]` for some figures, `-- --heavy`
 * to add the heavy-images scenario, `-- --subscribers` to add 10,000 live subscribers over replicas
 * (2.5 to 4 minutes here; always on MongoDB and Redis: bench/figures/subscribers.ts), `-- --party-wifi`
 * for tap to wall over a throttled link (about 2.5 minutes: bench/figures/party-wifi.ts). `-- --store=mongo`
 * runs the figures (by default upload-to-wall, transport and serving) twice, on the embedded store and
 * then on MongoDB (STORE=mongo in the server child: spec/fixtures/mongo-server.ts picks the server),
 * and prints one table with a column per store. Figures run one after another; the table (figure,
 * value, target, met) is printed and written to bench/results/latest.json, and as Markdown with the
 * machine to bench/results/latest.md for README's Performance section.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigImageFigure } from './figures/big-image';
import { burstFigure } from './figures/burst';
import { burstRssFigure } from './figures/burst-rss';
import { costGrowthFigure } from './figures/cost-growth';
import { fanOutFigure } from './figures/fan-out';
import { firstLoadFigure } from './figures/first-load';
import { heavyImagesFigure } from './figures/heavy-images';
import { memoryFigure } from './figures/memory';
import { partyWifiFigure } from './figures/party-wifi';
import { processingFigure } from './figures/processing';
import { servingFigure } from './figures/serving';
import { subscribersFigure } from './figures/subscribers';
import { transportFigure } from './figures/transport';
import { uploadToWallFigure } from './figures/upload-to-wall';
import { derivedRows } from './lib/derived';
import type { BenchContext, Figure } from './lib/figure';
import { serverAllocator, startServerProcess, type StoreKind } from './lib/processes';
import type { StoreRow } from './lib/rows';
import { markdownTable, storeMarkdownTable, storeTextTable, textTable } from './lib/table';

const FIGURES: readonly Figure[] = [
  uploadToWallFigure,
  burstFigure,
  processingFigure,
  transportFigure,
  fanOutFigure,
  memoryFigure,
  burstRssFigure,
  bigImageFigure,
  servingFigure,
  firstLoadFigure,
  costGrowthFigure,
  heavyImagesFigure,
  subscribersFigure,
  partyWifiFigure,
];

/** What --store=mongo runs without --only: the figures the issue asks for beside the embedded store. */
const MONGO_DEFAULT = ['upload-to-wall', 'transport', 'serving'];

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

function storeArg(args: readonly string[]): StoreKind {
  const given = args.find((a) => a.startsWith('--store='))?.slice('--store='.length) ?? 'embedded';
  if (given !== 'embedded' && given !== 'mongo') throw new Error(`unknown store ${given}; stores: embedded, mongo`);
  return given;
}

function selected(args: readonly string[], store: StoreKind): Figure[] {
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',').filter(Boolean);
  if (!only) {
    const byDefault = (f: Figure) => (store === 'mongo' ? MONGO_DEFAULT.includes(f.name) : !f.optIn);
    return FIGURES.filter((f) => byDefault(f) || (f.optIn !== undefined && args.includes(f.optIn)));
  }
  const unknown = only.filter((name) => !FIGURES.some((f) => f.name === name));
  if (unknown.length) throw new Error(`unknown figure ${unknown.join(', ')}; figures: ${FIGURES.map((f) => f.name).join(', ')}`);
  return FIGURES.filter((f) => only.includes(f.name));
}

function machine(): string {
  const gib = (os.totalmem() / 1024 ** 3).toFixed(1);
  const allocator = `server ${serverAllocator.line.replace(/ \(.*$/, '')}`;
  return `${os.availableParallelism()} cores (nproc), ${gib} GiB RAM, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${allocator}`;
}

const STORE_NAMES: Record<StoreKind, string> = { embedded: 'embedded', mongo: 'MongoDB' };

/** Everything one run learns besides the rows: what MongoDB ran on, figures' notes, seconds per store. */
interface RunNotes {
  readonly servers: Set<string>;
  readonly lines: Set<string>;
  readonly seconds: Record<StoreKind, number>;
}

/** One figure on one store (null: a storeless figure, run once); a failure becomes a "did not run" row. */
async function runOnce(figure: Figure, store: StoreKind | null, quick: boolean, args: readonly string[], notes: RunNotes): Promise<StoreRow[]> {
  const on = store ?? 'embedded';
  const t = performance.now();
  console.log(`\n== ${figure.name}${quick ? ' (quick)' : ''}${store ? `, ${STORE_NAMES[store]} store` : ''}`);
  const ctx: BenchContext = {
    quick,
    args,
    store: on,
    log: (m) => console.log(`   ${m}`),
    note: (line) => notes.lines.add(line),
    startServer: async (options = {}) => {
      const server = await startServerProcess({ ...options, store: on });
      if (on === 'mongo') notes.servers.add(server.storeLabel);
      return server;
    },
  };
  let rows: StoreRow[];
  try {
    rows = (await figure.run(ctx)).map((r) => ({ ...r, store }));
    console.log(textTable(rows));
  } catch (e) {
    console.error(`   ${figure.name} failed${store ? ` on ${STORE_NAMES[store]}` : ''}:`, e);
    rows = [{ name: `${figure.name}: did not run`, value: Number.NaN, unit: '', target: 'runs', met: false, store }];
  }
  const seconds = (performance.now() - t) / 1000;
  notes.seconds[on] += seconds;
  console.log(`   (${seconds.toFixed(1)} s)`);
  return rows;
}

function heading(args: readonly string[], quick: boolean, store: StoreKind, seconds: number): string {
  const flags = args.filter((a) => a === '--quick' || a === '--heavy' || a === '--subscribers' || a === '--party-wifi' || a.startsWith('--only=') || a.startsWith('--store='));
  const command = `\`npm run bench${flags.length ? ` -- ${flags.join(' ')}` : ''}\``;
  const date = new Date().toISOString().slice(0, 10);
  return `${command}, ${date}, ${quick ? 'quick' : 'full'} run, ${seconds.toFixed(0)} s; ${machine()}.`;
}

/** Under a two-store table: where MongoDB ran, what each pass cost, and the figures' own notes. */
function storeNotes(notes: RunNotes, rows: readonly StoreRow[]): string[] {
  const servers = [...notes.servers];
  // heavy-images starts its own server, so only the fixture's line in its output names the server.
  const where = servers.length
    ? `${servers.join('; ')}, picked in each server process by spec/fixtures/mongo-server.ts`
    : notes.seconds.mongo > 0
      ? 'not recorded (see the "MongoDB suites run against" line above)'
      : 'no server (no figure here uses a store)';
  return [
    `MongoDB figures ran on: ${where}.`,
    `Time: embedded ${notes.seconds.embedded.toFixed(0)} s, MongoDB ${notes.seconds.mongo.toFixed(0)} s.`,
    ...(rows.some((r) => r.store === null) ? ['"(same)": the figure starts no server (processing), so it runs once, on neither store.'] : []),
    ...notes.lines,
  ];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    const names = FIGURES.map((f) => f.name + (f.optIn ? ` (${f.optIn})` : '')).join(', ');
    console.log(`npm run bench [-- --quick] [--only=<name>,...] [--heavy [--old]] [--subscribers] [--party-wifi] [--store=embedded|mongo]\nfigures: ${names}`);
    return;
  }
  const quick = args.includes('--quick');
  let store: StoreKind;
  let figures: Figure[];
  try {
    store = storeArg(args);
    figures = selected(args, store);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const notes: RunNotes = { servers: new Set(), lines: new Set(), seconds: { embedded: 0, mongo: 0 } };
  const rows: StoreRow[] = [];
  for (const figure of figures) {
    // Each figure on both stores back to back, so both columns see the machine in the same state.
    const stores: Array<StoreKind | null> = figure.storeless
      ? [null]
      : figure.onlyStore
        ? [figure.onlyStore]
        : store === 'mongo'
          ? ['embedded', 'mongo']
          : ['embedded'];
    for (const on of stores) rows.push(...(await runOnce(figure, on, quick, args, notes)));
  }
  rows.push(...derivedRows(rows));
  const seconds = (performance.now() - started) / 1000;
  const both = store === 'mongo';
  const extra = both ? storeNotes(notes, rows) : [];
  console.log(`\n== all figures (${quick ? 'quick' : 'full'} run, ${seconds.toFixed(0)} s, ${machine()})\n`);
  console.log(both ? storeTextTable(rows) : textTable(rows));
  if (extra.length) console.log(`\n${extra.join('\n')}`);
  await fs.mkdir(RESULTS_DIR, { recursive: true });
  await fs.writeFile(path.join(RESULTS_DIR, 'latest.json'), JSON.stringify(rows, null, 2) + '\n');
  const table = both ? storeMarkdownTable(rows) : markdownTable(rows);
  const md = [heading(args, quick, store, seconds), '', table, ...(extra.length ? ['', ...extra] : [])].join('\n');
  await fs.writeFile(path.join(RESULTS_DIR, 'latest.md'), `${md}\n`);
  console.log(`\nwritten: bench/results/latest.json, bench/results/latest.md`);
  if (rows.some((r) => r.target === 'runs')) process.exitCode = 1;
}

await main();
