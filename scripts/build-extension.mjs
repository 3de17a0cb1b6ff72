// Builds the browser extension (extension/) for Chromium and Firefox from one source: esbuild bundles
// its TypeScript, the manifests come from extension/manifest.mjs, the icons are the app's own, and
// web-ext lints the Firefox build and zips both into dist/extension/*.zip.
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import sharp from 'sharp';
import webExt from 'web-ext';
import { ICON_SIZES, TARGETS, manifestFor } from '../extension/manifest.mjs';

export { TARGETS };

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SRC = path.join(ROOT, 'extension/src');
const ICON = path.join(ROOT, 'client/public/icons/icon-512.png');
const BROWSER_TARGET = { chromium: 'chrome120', firefox: 'firefox142' };

/**
 * engine.io-client falls back to Function("return this")() where neither self nor window exists;
 * both do in an extension, and Manifest V3's CSP forbids eval anyway. Replaced by globalThis, so the
 * bundle holds no eval (web-ext lint's DANGEROUS_EVAL).
 */
const noEvalFallback = {
  name: 'no-eval-fallback',
  setup(builder) {
    builder.onLoad({ filter: /engine\.io-client[\\/].*globals\.js$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replace('Function("return this")()', 'globalThis'),
      loader: 'js',
    }));
  },
};

/** Writes one browser's unpacked extension into dir. */
async function buildTarget(target, dir, version) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(path.join(dir, 'icons'), { recursive: true });
  await build({
    entryPoints: { background: path.join(SRC, 'background.ts'), options: path.join(SRC, 'options.ts') },
    outdir: dir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: BROWSER_TARGET[target],
    tsconfig: path.join(ROOT, 'extension/tsconfig.json'),
    // Readable code: store reviewers read it, and it is small (socket.io-client is most of it).
    minify: false,
    legalComments: 'none',
    plugins: [noEvalFallback],
    logLevel: 'warning',
  });
  await Promise.all(['options.html', 'options.css'].map((file) => copyFile(path.join(SRC, file), path.join(dir, file))));
  await Promise.all(
    ICON_SIZES.map((size) => sharp(ICON).resize(size, size).png({ compressionLevel: 9 }).toFile(path.join(dir, `icons/icon-${size}.png`))),
  );
  await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifestFor(target, version), null, 2) + '\n');
}

/** addons-linter through web-ext: errors fail the build, warnings are printed. */
async function lintFirefox(dir) {
  const result = await webExt.cmd.lint({ sourceDir: dir, output: 'none', boring: true, selfHosted: false }, { shouldExitProgram: false });
  for (const w of result.warnings) console.warn(`web-ext lint warning: ${w.code} ${w.message} (${w.file ?? ''})`);
  console.log(`web-ext lint (firefox): ${result.errors.length} errors, ${result.warnings.length} warnings, ${result.notices.length} notices`);
  if (result.errors.length > 0) {
    for (const e of result.errors) console.error(`web-ext lint error: ${e.code} ${e.message} (${e.file ?? ''})`);
    throw new Error(`web-ext lint found ${result.errors.length} error(s) in the Firefox build`);
  }
  return result;
}

/**
 * @param {{ outDir?: string, targets?: readonly ('chromium' | 'firefox')[], lint?: boolean, zip?: boolean }} [options]
 * @returns {Promise<Record<string, string>>} each target's unpacked folder
 */
export async function buildExtension({ outDir = path.join(ROOT, 'dist/extension'), targets = TARGETS, lint = true, zip = true } = {}) {
  const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
  const dirs = {};
  for (const target of targets) {
    const dir = path.join(outDir, target);
    await buildTarget(target, dir, version);
    dirs[target] = dir;
    if (lint && target === 'firefox') await lintFirefox(dir);
    if (zip) {
      await webExt.cmd.build(
        { sourceDir: dir, artifactsDir: outDir, filename: `photobook-${target}-${version}.zip`, overwriteDest: true },
        { showReadyMessage: false },
      );
    }
  }
  return dirs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dirs = await buildExtension();
  for (const [target, dir] of Object.entries(dirs)) console.log(`extension (${target}): ${path.relative(process.cwd(), dir)}`);
}
