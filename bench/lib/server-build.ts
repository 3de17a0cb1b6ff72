/**
 * The bench's server child as a host runs the server: bundled to JavaScript by the same esbuild
 * settings as dist/server/main.js (scripts/server-bundle.mjs) and run by plain node, not through tsx,
 * whose compiler alone holds about 100 MB of the process's RSS. Built once per bench process, into
 * dist/bench/ (node_modules resolve from there as from dist/server/); each file is written under a
 * temporary name and renamed, so two benches building at once never run a half-written file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { bundleServer } from '../../scripts/server-bundle.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT_DIR = path.join(REPO_ROOT, 'dist', 'bench');

let built: Promise<string> | null = null;

/**
 * The repository's own JavaScript in scripts/ (reached through the spec fixtures) is imported from
 * where it is, not bundled: ferretdb.mjs runs its command line when it is the entry file (it would
 * be, inside a bundle), and chromium.cjs is CommonJS, which an ESM bundle cannot require.
 */
const scriptsAsThemselves: Plugin = {
  name: 'scripts-as-themselves',
  setup(build) {
    // By absolute path: the import may sit in dist/bench/ or in one of its chunks/.
    build.onResolve({ filter: /scripts\/[^/]+\.(mjs|cjs)$/ }, (args) => ({
      path: path.resolve(args.resolveDir, args.path),
      external: true,
    }));
  },
};

async function build(name: string): Promise<string> {
  const outfile = path.join(OUT_DIR, `${name}.js`);
  const result = await bundleServer(path.join(REPO_ROOT, 'bench', `${name}.ts`), OUT_DIR, {
    write: false,
    plugins: [scriptsAsThemselves],
  });
  for (const file of result.outputFiles ?? []) {
    await mkdir(path.dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}-${randomBytes(4).toString('hex')}`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
  return outfile;
}

/** The path of bench/server-child.ts built to JavaScript (built on the first call). */
export function builtServerChild(): Promise<string> {
  built ??= build('server-child').catch((e: unknown) => {
    built = null;
    throw e;
  });
  return built;
}
