// The one place that finds the test browser and its flags: Karma (client specs) and playwright-core
// (end-to-end specs) both use it. CommonJS so karma.conf.cjs can require it.
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

/** CHROME_BIN when set, else Debian's chromium on PATH; never a downloaded browser. Null if none. */
function findChromium() {
  if (process.env.CHROME_BIN) return process.env.CHROME_BIN;
  const dirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
  for (const name of ['chromium', 'chromium-browser']) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        // not here, keep looking
      }
    }
  }
  return null;
}

/** Like findChromium, but a missing browser is an error: a skipped browser suite must not pass. */
function requireChromium() {
  const found = findChromium();
  if (!found) {
    throw new Error('No Chromium found: install Debian\'s chromium package (.ci/run does) or set CHROME_BIN.');
  }
  return found;
}

module.exports = { CHROMIUM_FLAGS, requireChromium };
