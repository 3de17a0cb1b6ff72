/** CPU time of a bench process and of the server child, for figures that say where the time went. */
import { readFileSync } from 'node:fs';

/** CPU time (user + system, every thread) this process has used, in ms. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * CPU time (user + system, every thread) process `pid` has used, in ms, from /proc/<pid>/stat: clock
 * ticks of 10 ms, so only sums over many transfers mean much. Its own process only, not its children
 * (a database server it runs is not counted).
 */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // After the command name in parentheses (which may itself hold ") "): state, then fields 4 on; utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** One measured transfer: its time, and the CPU the server and the client spent on it. */
export interface Round {
  readonly ms: number;
  readonly serverCpuMs: number;
  readonly clientCpuMs: number;
}
