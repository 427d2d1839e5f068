// One package's test run, judged from everything that can say it failed: its exit code, its
// vitest JSON report, and whether it has tests at all. vitest's report alone is not enough: it says
// `success: true, numFailedTests: 0` for a run that failed only through an unhandled error or a
// teardown error, and the run still exits 1.

/**
 * @typedef {object} PackageRun
 * @property {string} name            the package's folder, relative to the repository
 * @property {boolean} hasTests       whether its manifest has a `test` script
 * @property {number | undefined} exitCode  the test task's exit code (undefined: it never ran)
 * @property {any} report             the parsed `.reports/vitest.json`, or undefined when missing
 */

/**
 * @typedef {object} PackageTotals
 * @property {number} passed
 * @property {number} failed
 * @property {number} skipped
 * @property {string[]} problems  why the package counts as failed beyond its failed tests
 */

/**
 * The totals of one package's run. Every way a run can go wrong without a failed test in its
 * report adds one failure with a reason, so the totals line can never read "0 failed" for a run
 * that did not pass.
 *
 * @param {PackageRun} run
 * @returns {PackageTotals}
 */
export function packageTotals(run) {
  const problems = [];
  if (!run.hasTests) {
    problems.push("has no `test` script");
    return { passed: 0, failed: 1, skipped: 0, problems };
  }
  const report = run.report;
  if (!report) {
    problems.push("no test report (its test run crashed or never started)");
    return { passed: 0, failed: 1, skipped: 0, problems };
  }
  const passed = report.numPassedTests ?? 0;
  const failedTests = report.numFailedTests ?? 0;
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (failedTests === 0 && report.success === false) {
    problems.push("the report says the run failed without a failed test (an error outside tests)");
  }
  if (failedTests === 0 && report.success !== false && run.exitCode !== 0) {
    const how = run.exitCode === undefined ? "has no exit code" : `exited ${run.exitCode}`;
    problems.push(`its test run ${how} although no test failed (an unhandled error or teardown)`);
  }
  if ((report.numTotalTests ?? passed + failedTests + skipped) === 0) {
    problems.push("ran no test");
  }
  return { passed, failed: failedTests + problems.length, skipped, problems };
}

/**
 * Sums package totals into the one line CI reads: `N passed, N failed, N skipped`.
 *
 * @param {PackageTotals[]} totals
 * @param {number} failedSteps  steps other than tests that failed (lint, build, ...)
 */
export function totalsLine(totals, failedSteps = 0) {
  let passed = 0;
  let failed = failedSteps;
  let skipped = 0;
  for (const entry of totals) {
    passed += entry.passed;
    failed += entry.failed;
    skipped += entry.skipped;
  }
  return {
    passed,
    failed,
    skipped,
    line: `${passed} passed, ${failed} failed, ${skipped} skipped`,
  };
}

/**
 * Adds up totals lines (`N passed, N failed, N skipped`) from several runs, such as the main run
 * on Node 24 and the compatibility run on Node 22. A line that does not parse counts as a failure.
 *
 * @param {string[]} lines
 */
export function sumTotalsLines(lines) {
  const sum = { passed: 0, failed: 0, skipped: 0 };
  for (const line of lines) {
    const match = /^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/.exec(line.trim());
    if (!match) {
      sum.failed += 1;
      continue;
    }
    sum.passed += Number(match[1]);
    sum.failed += Number(match[2]);
    sum.skipped += Number(match[3] ?? 0);
  }
  return `${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped`;
}
