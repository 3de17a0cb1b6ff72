// Where jemalloc is and whether to preload it, decided without side effects (start.mjs and the bench
// pass in the machine). jemalloc gives sharp's memory back after a burst; glibc keeps most of it
// (measured in shared/DESIGN.md: idle 134 MB against 450 MB after 10 x 20 MB commits).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const LIB = 'libjemalloc.so.2';
/** Debian's multiarch folders, then the plain ones (the Dockerfile links it into /usr/local/lib). */
const DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib', '/usr/local/lib'];

/** The library's path from `ldconfig -p` text, or in one of the usual folders; null when absent. */
export function findJemalloc({ ldconfig, exists }) {
  const listed = /libjemalloc\.so\.2 \([^)]*\) => (\S+)/.exec(ldconfig ?? '')?.[1];
  if (listed && exists(listed)) return listed;
  return DIRS.map((dir) => `${dir}/${LIB}`).find(exists) ?? null;
}

/**
 * jemalloc's settings when we preload it (MALLOC_CONF, unless set outside): one arena and no
 * per-thread caches (libvips's threads otherwise each keep freed blocks of their own), a background
 * thread that gives freed pages back 30 ms after they are freed, and blocks above 256 KiB (decoded
 * strips, encoder buffers) in jemalloc's own arena for large blocks, which gives them back at once.
 * Blocks freed and taken again within milliseconds then reuse their pages instead of faulting fresh
 * ones in: libvips's tiles, socket reads, and each upload chunk's 255 KiB copy (ws joins a frame's
 * 64 KiB reads into one buffer). Measured here, 3 interleaved quick runs each against the former
 * 128 KiB bound: the transport figure 0.68-0.79 against 0.52-0.59 (5,000 fewer page faults per
 * 20 MB upload, about 6 ms of CPU), the 10 x 12 MP burst's peak 176-179 MB against 169-176 MB,
 * upload-to-wall over bare sharp 1.13-1.29 against 1.16-1.35. With every page given back at once
 * ('dirty_decay_ms:0', an earlier setting) a 12 MP photo took 8-10 ms longer to process; with
 * 'dirty_decay_ms:10' uploads lost most of the gain (0.50-0.59). Earlier (with both of a burst's
 * images decoding at once): 'narenas:2,background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0'
 * peaked at 236-260 MB, jemalloc's defaults held +120 MB 3 s after 10 x 20 MB commits.
 */
export const JEMALLOC_CONF = 'narenas:1,tcache:false,background_thread:true,dirty_decay_ms:30,muzzy_decay_ms:0,oversize_threshold:262145';

/**
 * Node's own flags for the server (start.mjs, the Dockerfile's CMD, the bench's server child), with
 * any allocator: V8's young generation in 1 MB semi-spaces instead of 16 MB. The server's garbage is
 * short-lived (chunks, socket packets), so each semi-space fills with it and stays resident; a small
 * one is collected more often, cheaply (little of it survives). Measured here (burst-rss, with the
 * MALLOC_CONF of then, 'dirty_decay_ms:0', and both photos decoding at once): idle RSS 116 MB against 138 MB, the 10 x 12 MP burst's peak 197-207 MB against
 * 229-241 MB; the burst figure's display p95 1060-1480 ms against 1100-1250 ms.
 *
 * And no full collection while the old generation is below 64 MB. V8 counts the Buffers allocated
 * since its last full collection (chunks waiting for the disk, decoded pixels, encoded variants) against
 * an old-generation limit it sets only a few MB above the live heap (31 MB over 22 here), so in a
 * burst it marked and compacted the whole heap every 150 ms: 24-33 full collections in the 10 x 3
 * burst, about 1.6 s of CPU on 2 cores, on the main thread and V8's helpers, while photos wait for
 * the cores. With the floor at 64 MB, 3 or 4 (traced, --trace-gc); at 48 MB, 8. Measured here
 * (2026-12-07, a slower machine than the one above), the node threads' CPU in the burst (libvips's
 * unchanged): 1.8 s against 3.4 s. The burst's display p95, interleaved: 1485/1569, 1815/2014 and
 * 1654/2066 ms (64 MB/none), then 1509, 1926, 1745 ms with 64 MB, 1593, 1791, 1864 with 48 and 1764,
 * 1894, 2221 with none. 50 x 20 MB commits +125 to +141 MB against +124 to +143, and 18-28 MB above
 * the start 10 s after against -1 to +11 (the garbage under the floor waits for V8's idle collection);
 * the 12 MP burst's peak 168-180 MB against 176-184; idle RSS 102 MB against 98.
 */
export const NODE_FLAGS = ['--max-semi-space-size=1', '--initial-old-space-size=64'];

/**
 * What to run with: { preload, env } to re-execute with LD_PRELOAD (and env: the variables to add),
 * or { preload: null, env: {} } to run as is, with the one line that says which allocator runs.
 */
export function allocatorPlan({ env, platform, library }) {
  if (env.LD_PRELOAD) {
    const which = env.LD_PRELOAD.includes('jemalloc') ? 'jemalloc' : 'the system allocator';
    return { preload: null, env: {}, line: `allocator: ${which} (LD_PRELOAD=${env.LD_PRELOAD}, set outside)` };
  }
  if (env.PHOTOBOOK_ALLOCATOR === 'system') return { preload: null, env: {}, line: 'allocator: the system allocator (PHOTOBOOK_ALLOCATOR=system)' };
  if (platform !== 'linux') return { preload: null, env: {}, line: 'allocator: the system allocator' };
  if (!library) {
    return { preload: null, env: {}, line: 'allocator: the system allocator (no libjemalloc.so.2 found; sudo apt-get install libjemalloc2 gives memory back after bursts)' };
  }
  const conf = env.MALLOC_CONF || JEMALLOC_CONF;
  return { preload: library, env: { LD_PRELOAD: library, MALLOC_CONF: conf }, line: `allocator: jemalloc (${library}, MALLOC_CONF=${conf})` };
}

/** This machine's plan (reads ldconfig and the file system). */
export function machineAllocator(env = process.env) {
  let ldconfig = '';
  if (process.platform === 'linux') {
    for (const cmd of ['ldconfig', '/sbin/ldconfig']) {
      try {
        ldconfig = execFileSync(cmd, ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        break;
      } catch {
        // Not on PATH for this user, or none at all: the folders below are tried.
      }
    }
  }
  const library = process.platform === 'linux' ? findJemalloc({ ldconfig, exists: (p) => fs.existsSync(p) }) : null;
  return allocatorPlan({ env, platform: process.platform, library });
}
