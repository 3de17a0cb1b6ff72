/**
 * The benchmark harness (issue 9): `npm run bench` for the full run, `-- --quick` for a short one
 * (under 3 minutes on a 2-core machine), `-- --only=<name>[,<name>]` for some figures, `-- --heavy`
 * to add the heavy-images scenario. Figures run one after another; the table (figure, value,
 * target, met) is printed and written to bench/results/latest.json, and as Markdown with the
 * machine to bench/results/latest.md for README's Performance section.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { burstFigure } from './figures/burst';
import { costGrowthFigure } from './figures/cost-growth';
import { fanOutFigure } from './figures/fan-out';
import { heavyImagesFigure } from './figures/heavy-images';
import { memoryFigure } from './figures/memory';
import { processingFigure } from './figures/processing';
import { servingFigure } from './figures/serving';
import { transportFigure } from './figures/transport';
import { uploadToWallFigure } from './figures/upload-to-wall';
import type { Figure } from './lib/figure';
import type { Row } from './lib/rows';
import { markdownTable, textTable } from './lib/table';

const FIGURES: readonly Figure[] = [
  uploadToWallFigure,
  burstFigure,
  processingFigure,
  transportFigure,
  fanOutFigure,
  memoryFigure,
  servingFigure,
  costGrowthFigure,
  heavyImagesFigure,
];

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

function selected(args: readonly string[]): Figure[] {
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',').filter(Boolean);
  if (!only) return FIGURES.filter((f) => !f.optIn || args.includes(f.optIn));
  const unknown = only.filter((name) => !FIGURES.some((f) => f.name === name));
  if (unknown.length) throw new Error(`unknown figure ${unknown.join(', ')}; figures: ${FIGURES.map((f) => f.name).join(', ')}`);
  return FIGURES.filter((f) => only.includes(f.name));
}

function machine(): string {
  const gib = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `${os.availableParallelism()} cores (nproc), ${gib} GiB RAM, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(`npm run bench [-- --quick] [--only=<name>,...] [--heavy [--old]]\nfigures: ${FIGURES.map((f) => f.name + (f.optIn ? ` (${f.optIn})` : '')).join(', ')}`);
    return;
  }
  const quick = args.includes('--quick');
  let figures: Figure[];
  try {
    figures = selected(args);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const rows: Row[] = [];
  let failed = 0;
  for (const figure of figures) {
    const t = performance.now();
    console.log(`\n== ${figure.name}${quick ? ' (quick)' : ''}`);
    try {
      const result = await figure.run({ quick, args, log: (m) => console.log(`   ${m}`) });
      rows.push(...result);
      console.log(textTable(result));
    } catch (e) {
      failed++;
      console.error(`   ${figure.name} failed:`, e);
      rows.push({ name: `${figure.name}: did not run`, value: Number.NaN, unit: '', target: 'runs', met: false });
    }
    console.log(`   (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  const seconds = (performance.now() - started) / 1000;
  const date = new Date().toISOString().slice(0, 10);
  console.log(`\n== all figures (${quick ? 'quick' : 'full'} run, ${seconds.toFixed(0)} s, ${machine()})\n`);
  console.log(textTable(rows));
  await fs.mkdir(RESULTS_DIR, { recursive: true });
  await fs.writeFile(path.join(RESULTS_DIR, 'latest.json'), JSON.stringify(rows, null, 2) + '\n');
  const heading = `${quick ? '`npm run bench -- --quick`' : '`npm run bench`'}, ${date}, ${seconds.toFixed(0)} s; ${machine()}.`;
  await fs.writeFile(path.join(RESULTS_DIR, 'latest.md'), `${heading}\n\n${markdownTable(rows)}\n`);
  console.log(`\nwritten: bench/results/latest.json, bench/results/latest.md`);
  if (failed) process.exitCode = 1;
}

await main();
