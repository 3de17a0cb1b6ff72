// Karma config for `ng test` (@angular/build:karma). CommonJS because package.json has "type": "module".
const { CHROMIUM_FLAGS, requireChromium } = require('../scripts/chromium.cjs');

// Karma's ChromeHeadless launcher reads CHROME_BIN; fail loudly rather than skip the browser specs.
process.env.CHROME_BIN = requireChromium();

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
        flags: CHROMIUM_FLAGS,
      },
    },
    browserNoActivityTimeout: 60000,
    captureTimeout: 120000,
    singleRun: true,
    autoWatch: false,
    restartOnFileChange: false,
  });
};
