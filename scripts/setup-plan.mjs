// What `npm test` needs from the machine and how to get it, decided without side effects: the caller
// (pretest.mjs) passes in the machine, so the specs can describe any OS, user and PATH.
import { findBrowser } from './chromium.cjs';

/** Each outside tool the specs run, its Debian package, and the specs that need it (for the one line). */
export const TOOLS = [
  { tool: 'browser', pkg: 'chromium', neededBy: 'browser' },
  { tool: 'redis-server', pkg: 'redis-server', neededBy: 'multi-replica' },
  { tool: 'exiftool', pkg: 'libimage-exiftool-perl', neededBy: 'EXIF' },
  { tool: 'docker-compose', pkg: 'docker-compose', neededBy: 'deployment' },
  // Debian's nginx package is the server itself (nginx-light is only a metapackage over it).
  { tool: 'nginx', pkg: 'nginx', neededBy: 'deployment' },
  // The photo book specs read the PDF back: pages to PNG, its text (and pdfinfo, pdfimages, same package).
  { tool: 'pdftoppm', pkg: 'poppler-utils', neededBy: 'photo book' },
  { tool: 'pdftotext', pkg: 'poppler-utils', neededBy: 'photo book' },
];

/** Debian installs daemons such as nginx here; a non-root PATH often lacks them. */
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

const APT_GET = ['apt-get', 'install', '-y', '-qq', '--no-install-recommends'];

/** True for Debian and its derivatives (Ubuntu lists debian in ID_LIKE), read from /etc/os-release text. */
export function isDebianLike(osRelease) {
  if (!osRelease) return false;
  const field = (key) => (osRelease.match(new RegExp(`^${key}=["']?([^"'\\n]*)`, 'm'))?.[1] ?? '').split(/\s+/);
  return [...field('ID'), ...field('ID_LIKE')].some((id) => id === 'debian' || id === 'ubuntu');
}

/** Each package once, in the order of its first tool (one package may bring several tools). */
function packagesOf(tools) {
  return [...new Set(tools.map((t) => t.pkg))];
}

/** "a, b and c" */
function listing(words) {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** A tool by name on PATH, or in the sbin directories when PATH lacks them (not on Windows). */
function findTool(name, { platform, exists, which }) {
  const onPath = which(name);
  if (onPath) return onPath;
  return platform === 'win32' ? null : (SBIN_DIRS.map((dir) => `${dir}/${name}`).find(exists) ?? null);
}

/** The tools that are missing: the browser by the shared finder, the rest by name. */
function missingTools({ env, platform, exists, which }) {
  const browser = findBrowser({ env, platform, exists });
  const found = (t) => (t.tool === 'browser' ? browser : findTool(t.tool, { platform, exists, which }));
  return { browser, missing: TOOLS.filter((t) => !found(t)) };
}

/** How to install the missing tools by hand on this platform, or null when we know no one command. */
function installCommand(missing, { debian, platform }) {
  if (debian) return `sudo apt-get install ${packagesOf(missing).join(' ')}`;
  if (platform !== 'darwin') return null;
  const browser = missing.some((t) => t.tool === 'browser') ? ['brew install --cask chromium'] : [];
  const formula = (t) => (t.tool === 'redis-server' ? 'redis' : t.pkg === 'poppler-utils' ? 'poppler' : t.tool);
  const formulas = [...new Set(missing.filter((t) => t.tool !== 'browser').map(formula))];
  return [...browser, ...(formulas.length ? [`brew install ${formulas.join(' ')}`] : [])].join('; ');
}

/** The one line to stop with: what is missing and the command that gets it. */
function stopLine(missing, where) {
  const how = installCommand(missing, where);
  const browserMissing = missing.some((t) => t.tool === 'browser');
  if (browserMissing && missing.length === 1) {
    return `pretest: no Chromium, Chrome or Edge found; install one${how ? ` (${how})` : ''} or set CHROME_BIN`;
  }
  const names = missing.map((t) => (t.tool === 'browser' ? 'a Chromium, Chrome or Edge browser' : t.tool));
  const them = missing.length > 1 ? 'them' : 'it';
  return (
    `pretest: missing ${listing(names)}; install ${them}${how ? ` (${how})` : ' with your package manager'}` +
    (browserMissing ? ', or set CHROME_BIN for the browser' : '')
  );
}

/**
 * Decides the pretest step. The machine comes in as plain values and functions:
 *   env, platform        like process.env and process.platform
 *   exists(file)         is it an executable file
 *   which(name)          its path on PATH, or null
 *   isRoot               running as uid 0
 *   canSudo()            `sudo -n true` succeeds (asked only when an install would need it)
 *   osRelease            the text of /etc/os-release, or null
 * Returns one of
 *   { action: 'ready', browser }                                    nothing to do
 *   { action: 'install', browser, packages, update, command, line }  print line, run update, then command
 *   { action: 'stop', line }                                        print line, exit 1
 */
export function planSetup({ env, platform, exists, which, isRoot, canSudo, osRelease }) {
  if (env.CHROME_BIN && !exists(env.CHROME_BIN)) {
    // An explicit choice that is wrong: installing chromium would not help, Karma would still use it.
    return { action: 'stop', line: `pretest: CHROME_BIN=${env.CHROME_BIN} is not an executable file; fix it or unset it` };
  }
  const { browser, missing } = missingTools({ env, platform, exists, which });
  if (missing.length === 0) return { action: 'ready', browser };

  const debian = platform === 'linux' && isDebianLike(osRelease);
  const sudo = debian && !isRoot && canSudo();
  if (!debian || (!isRoot && !sudo)) return { action: 'stop', line: stopLine(missing, { debian, platform }) };

  const packages = packagesOf(missing);
  // sudo drops the environment, so DEBIAN_FRONTEND goes through env(1); as root the caller sets it.
  const prefix = isRoot ? [] : ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive'];
  return {
    action: 'install',
    browser,
    packages,
    update: [...prefix, 'apt-get', 'update', '-qq'],
    command: [...prefix, ...APT_GET, ...packages],
    line: `pretest: installing ${packages.join(' ')} from Debian (needed by the ${listing([...new Set(missing.map((t) => t.neededBy))])} specs)`,
  };
}
