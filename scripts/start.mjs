#!/usr/bin/env node
// `npm start` / `npm run serve`: runs the server under jemalloc where the machine has it (see
// allocator.mjs), by re-executing node with LD_PRELOAD (the allocator must be there before node
// starts), and with allocator.mjs's NODE_FLAGS. PHOTOBOOK_ALLOCATOR=system, or an LD_PRELOAD of
// your own, runs it as is. Signals are passed on and the server's exit code is ours.
import { spawn } from 'node:child_process';
import { NODE_FLAGS, machineAllocator } from './allocator.mjs';

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node scripts/start.mjs <server entry> [args]');
  process.exit(2);
}
const plan = machineAllocator();
console.log(plan.line);
const env = { ...process.env, ...plan.env };
const child = spawn(process.execPath, [...process.execArgv, ...NODE_FLAGS, '--enable-source-maps', script, ...args], { stdio: 'inherit', env });
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal) {
    // Die of the same signal, so whoever started us sees what happened.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
