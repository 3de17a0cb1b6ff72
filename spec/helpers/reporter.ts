// Prints the closing line CI reads ("N passed, N failed") and lists every skipped suite loudly.
let passed = 0;
let failed = 0;
let skipped = 0;

jasmine.getEnv().addReporter({
  specDone(result) {
    if (result.status === 'passed') passed++;
    else if (result.status === 'failed') failed++;
    else skipped++;
  },
  jasmineDone() {
    console.log(`\n${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
  },
});
