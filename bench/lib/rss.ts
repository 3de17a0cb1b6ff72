import { readFileSync } from 'node:fs';
import { sleep } from './clock';
import { median } from './stats';

/** A process's resident set in bytes, from /proc/PID/status (VmRSS, in kB). */
export function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** Samples a process's RSS every `everyMs`, keeping the peak. */
export function sampleRss(pid: number, everyMs = 50) {
  let peak = rssOf(pid);
  let last = peak;
  const timer = setInterval(() => {
    try {
      last = rssOf(pid);
      peak = Math.max(peak, last);
    } catch {
      // The process ended; the samples so far stand.
    }
  }, everyMs);
  return {
    peak: () => peak,
    last: () => last,
    stop: () => clearInterval(timer),
  };
}

export const MB = 1e6;

/** RSS at rest: the median of 10 samples 50 ms apart (one sample may catch a collection midway). */
export async function steadyRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 10; i++) {
    samples.push(rssOf(pid));
    await sleep(50);
  }
  return median(samples);
}
