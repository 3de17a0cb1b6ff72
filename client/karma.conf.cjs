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

/**
 * Repeats every failure, and the order's seed, after the last progress line: CI keeps only the tail of the output,
 * where the progress reporter's inline failure has long scrolled away.
 */
const failureSummary = {
  'reporter:failure-summary': [
    'type',
    function FailureSummaryReporter(baseReporterDecorator) {
      baseReporterDecorator(this);
      const failures = [];
      this.onSpecComplete = (browser, result) => {
        if (!result.success && !result.skipped) {
          failures.push(`${result.suite.join(' > ')} > ${result.description}\n    ${result.log.join('\n    ')}`);
        }
      };
      this.onBrowserLog = () => undefined;
      let seed = '';
      this.onBrowserComplete = (browser, result) => {
        seed = String(result?.order?.seed ?? '');
      };
      this.onRunComplete = () => {
        if (failures.length === 0) return;
        this.write(`\nFailed specs (${failures.length}); the order's seed was ${seed} (set it as client.jasmine.seed to rerun):\n`);
        for (const failure of failures) this.write(`  ${failure.slice(0, 4000)}\n`);
      };
    },
  ],
};
failureSummary['reporter:failure-summary'][1].$inject = ['baseReporterDecorator'];

module.exports = function (config) {
  config.set({
    basePath: '',
    frameworks: ['jasmine'],
    plugins: [require('karma-jasmine'), require('karma-chrome-launcher'), mediaStub, failureSummary],
    middleware: ['media-stub'],
    client: {
      jasmine: {
        random: true,
        // Jasmine's default of 5 s is a guess at the machine's speed: with 2 cores under load, the wall specs
        // that play minutes of the show (and the console's longer ones) took 3.5–5 s and more, and timed out;
        // the timed-out spec then kept running under the next one and broke it too. A hang still fails.
        timeoutInterval: 30_000,
      },
    },
    reporters: ['progress', 'failure-summary'],
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
