// The one place that finds the test browser and its flags: Karma (client specs), playwright-core
// (end-to-end specs) and the pretest step all use it. CommonJS so karma.conf.cjs can require it.
const fs = require('node:fs');
const path = require('node:path');

/** Headless flags for a root user on a machine whose network reaches only the package registries. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-dev-shm-usage',
  '--no-first-run',
];

/** Command names tried on PATH, Debian's own first; any Chromium-based browser runs the specs. */
const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'];

/** Where the macOS installers put the app bundles; PATH rarely has them. */
const MAC_APPS = [
  'Chromium.app/Contents/MacOS/Chromium',
  'Google Chrome.app/Contents/MacOS/Google Chrome',
  'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
];

/** Below Program Files (both) and LOCALAPPDATA (per-user installs); Windows PATH rarely has them. */
const WINDOWS_APPS = [
  'Chromium\\Application\\chrome.exe',
  'Google\\Chrome\\Application\\chrome.exe',
  'Microsoft\\Edge\\Application\\msedge.exe',
];

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The first executable `name` on env.PATH, or null. On Windows each PATHEXT suffix is tried too.
 * `exists` is injectable so the pretest specs can describe a machine without touching this one.
 */
function findOnPath(name, { env = process.env, platform = process.platform, exists = isExecutable } = {}) {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const dirs = (env.PATH || env.Path || '').split(paths.delimiter).filter(Boolean);
  const suffixes = platform === 'win32' ? ['', ...(env.PATHEXT || '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of dirs) {
    for (const suffix of suffixes) {
      const candidate = paths.join(dir, name + suffix.toLowerCase());
      if (exists(candidate)) return candidate;
    }
  }
  return null;
}

/** The usual install locations outside PATH for this platform. */
function installedBrowserPaths(env, platform) {
  if (platform === 'darwin') {
    const roots = ['/Applications', env.HOME && path.posix.join(env.HOME, 'Applications')].filter(Boolean);
    return roots.flatMap((root) => MAC_APPS.map((app) => path.posix.join(root, app)));
  }
  if (platform === 'win32') {
    const roots = [env.ProgramFiles, env['ProgramFiles(x86)'], env.LOCALAPPDATA].filter(Boolean);
    return roots.flatMap((root) => WINDOWS_APPS.map((app) => path.win32.join(root, app)));
  }
  return [];
}

/**
 * CHROME_BIN when set (trusted as given: the user chose it), else a browser name on PATH, else the
 * usual macOS or Windows install paths. Never a downloaded browser. Null if none.
 */
function findBrowser({ env = process.env, platform = process.platform, exists = isExecutable } = {}) {
  if (env.CHROME_BIN) return env.CHROME_BIN;
  for (const name of BROWSER_NAMES) {
    const found = findOnPath(name, { env, platform, exists });
    if (found) return found;
  }
  return installedBrowserPaths(env, platform).find(exists) ?? null;
}

/** This machine's browser, or null. */
function findChromium() {
  return findBrowser();
}

/** Like findChromium, but a missing browser is an error: a skipped browser suite must not pass. */
function requireChromium() {
  const found = findChromium();
  if (!found) {
    throw new Error('No Chromium, Chrome or Edge found: `npm test` installs Debian\'s chromium when it can; or set CHROME_BIN.');
  }
  return found;
}

module.exports = { CHROMIUM_FLAGS, BROWSER_NAMES, findOnPath, findBrowser, findChromium, requireChromium, isExecutable };
