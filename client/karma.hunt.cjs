// TEMPORARY (flaky-spec hunt): the normal config with a fixed seed, a known debugging port and spec timings. Delete after use.
const base = require('./karma.conf.cjs');
const timings = {
  'reporter:hunt-timings': [
    'type',
    function HuntTimings(baseReporterDecorator) {
      baseReporterDecorator(this);
      const all = [];
      let n = 0;
      this.onSpecComplete = (browser, result) => {
        n++;
        all.push({ n, time: result.time, ok: result.success, name: `${result.suite.join(' > ')} > ${result.description}` });
      };
      this.onBrowserLog = () => undefined;
      this.onRunComplete = () => {
        const top = [...all].sort((a, b) => b.time - a.time).slice(0, 25);
        this.write(`\nSlowest specs:\n`);
        for (const s of top) this.write(`  ${String(s.time).padStart(6)} ms  #${s.n} ${s.ok ? '' : 'FAILED '}${s.name}\n`);
        this.write(`Order of failures: ${all.filter((s) => !s.ok).map((s) => `#${s.n}`).join(' ')}\n`);
      };
    },
  ],
};
timings['reporter:hunt-timings'][1].$inject = ['baseReporterDecorator'];
module.exports = function (config) {
  base(config);
  const seed = process.env.HUNT_SEED;
  const port = process.env.HUNT_CDP_PORT;
  config.set({
    plugins: [...config.plugins, timings],
    reporters: [...config.reporters, 'hunt-timings'],
    client: { jasmine: { random: true, ...(seed ? { seed } : {}) } },
    customLaunchers: {
      ChromeHeadlessCI: {
        base: 'ChromeHeadless',
        flags: [...require('../scripts/chromium.cjs').CHROMIUM_FLAGS, ...(port ? [`--remote-debugging-port=${port}`] : [])],
      },
    },
  });
};
