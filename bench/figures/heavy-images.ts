/**
 * The existing heavy-images scenario (bench/heavy-images.ts, unchanged) in its own process, opt-in
 * with --heavy: it prints its own report; the wait ratio it states becomes a row (no target). It
 * runs on the pass's store too (STORE in its environment).
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from '../lib/figure';
import { info } from '../lib/rows';

const SCRIPT = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'heavy-images.ts');

export const heavyImagesFigure: Figure = {
  name: 'heavy-images',
  optIn: '--heavy',
  async run({ args, store }) {
    // It starts its own server with startTestServer, which reads STORE.
    const child = fork(SCRIPT, args.filter((a) => a === '--old'), {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      env: { ...process.env, STORE: store },
    });
    let output = '';
    child.stdout!.on('data', (b: Buffer) => {
      output += b.toString();
      process.stdout.write(b);
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`bench/heavy-images.ts exited with ${code}`);
    const ratio = /= ([\d.]+)x one heavy photo/.exec(output);
    return ratio ? [info('heavy-images: ordinary photo wait / one heavy photo', Number(ratio[1]), 'x')] : [];
  },
};
