// Karma config for `ng test` (@angular/build:karma). CommonJS because package.json has "type": "module".
const fs = require('node:fs');
const path = require('node:path');

/** Finds Debian's chromium on PATH; Puppeteer-style downloads are not available here. */
function findChromium() {
  const names = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
  const dirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
  for (const name of names) {
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

if (!process.env.CHROME_BIN) {
  const found = findChromium();
  if (!found) {
    // Fail loudly: a silently skipped browser would report a green run with no tests.
    throw new Error(
      'karma.conf.cjs: no Chromium found. Install it (apt-get install chromium) or set CHROME_BIN.',
    );
  }
  process.env.CHROME_BIN = found;
}

/** Specs render real <img> tags with /media/ and /api/ URLs; answer them quietly instead of logging 404s. */
const mediaStub = {
  'middleware:media-stub': [
    'factory',
    // A classic function: karma's DI reads parameter names from the source and cannot parse arrows.
    function mediaStubFactory() {
      return (req, res, next) => {
        if (!req.url.startsWith('/media/') && !req.url.startsWith('/api/')) return next();
        res.statusCode = 204;
        res.end();
      };
    },
  ],
};

module.exports = function (config) {
  config.set({
    basePath: '',
    frameworks: ['jasmine'],
    plugins: [require('karma-jasmine'), require('karma-chrome-launcher'), mediaStub],
    middleware: ['media-stub'],
    client: {
      jasmine: { random: true },
    },
    reporters: ['progress'],
    browsers: ['ChromeHeadlessCI'],
    customLaunchers: {
      ChromeHeadlessCI: {
        base: 'ChromeHeadless',
        flags: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-dev-shm-usage',
        ],
      },
    },
    browserNoActivityTimeout: 60000,
    captureTimeout: 120000,
    singleRun: true,
    autoWatch: false,
    restartOnFileChange: false,
  });
};
