// Ends every jest run with one plain line, `N passed, N failed` (`, N skipped` when any were),
// written at exit so it stays the last line after jest's own summary. A suite that could not run
// at all counts as one failure.
const { writeSync } = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests > 0 ? `, ${results.numPendingTests} skipped` : '';
    const line = `${results.numPassedTests} passed, ${failed} failed${skipped}\n`;
    process.once('exit', () => writeSync(1, line));
  }
}
module.exports = SummaryReporter;
