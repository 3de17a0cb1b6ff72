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
 * jemalloc's settings when we preload it (MALLOC_CONF, unless set outside): two arenas instead of
 * 4 per core, a background thread that returns freed pages within a second, and no "muzzy" stage.
 * Measured here (quick bench, photo book spec): 10 x 20 MB commits peak +170 MB and +27 MB 3 s
 * later, against +208 and +120 MB with jemalloc's defaults; a 200-photo book +83 to 86 MB against
 * +105 to 115 MB; the burst and upload-to-wall figures no slower.
 */
export const JEMALLOC_CONF = 'narenas:2,background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0';

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
