import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { packageTotals, sumTotalsLines, totalsLine } from "../src/totals.mjs";

const fixtures = new URL("./fixtures/", import.meta.url).pathname;
const vitestBin = new URL("../node_modules/.bin/vitest", import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), "test-totals-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs vitest on a fixture package the way test-all runs a package: JSON report plus exit code. */
function runFixture(name: string) {
  const outputFile = join(scratch, `${name}.json`);
  const result = spawnSync(vitestBin, ["run", "--reporter=json", `--outputFile=${outputFile}`], {
    cwd: join(fixtures, name),
    encoding: "utf8",
    env: { ...process.env, CI: "true" },
  });
  return {
    name,
    hasTests: true,
    exitCode: result.status ?? undefined,
    report: JSON.parse(readFileSync(outputFile, "utf8")),
  };
}

describe("a real vitest run", () => {
  it("counts a run that fails only through an unhandled rejection as failed", () => {
    const run = runFixture("unhandled-rejection");
    // The premise: vitest's report alone calls this run a success.
    expect(run.report.success).toBe(true);
    expect(run.report.numFailedTests).toBe(0);
    expect(run.exitCode).not.toBe(0);

    const totals = packageTotals(run);
    expect(totals.failed).toBe(1);
    expect(totals.problems.join()).toMatch(/exited 1 although no test failed/);
    expect(totalsLine([totals]).line).toBe("1 passed, 1 failed, 0 skipped");
  });

  it("counts a clean run as passed", () => {
    const totals = packageTotals(runFixture("passing"));
    expect(totals).toEqual({ passed: 1, failed: 0, skipped: 0, problems: [] });
  });
});

describe("packageTotals", () => {
  const report = {
    success: true,
    numPassedTests: 3,
    numFailedTests: 0,
    numPendingTests: 1,
    numTodoTests: 0,
    numTotalTests: 4,
  };

  it("sums a passing report", () => {
    expect(packageTotals({ name: "p", hasTests: true, exitCode: 0, report })).toEqual({
      passed: 3,
      failed: 0,
      skipped: 1,
      problems: [],
    });
  });

  it("counts a package without a test script as failed", () => {
    const totals = packageTotals({
      name: "p",
      hasTests: false,
      exitCode: undefined,
      report: undefined,
    });
    expect(totals.failed).toBe(1);
    expect(totals.problems).toEqual(["has no `test` script"]);
  });

  it("counts a missing report as failed", () => {
    expect(
      packageTotals({ name: "p", hasTests: true, exitCode: 1, report: undefined }).failed,
    ).toBe(1);
  });

  it("counts a report that says success: false without failed tests", () => {
    const totals = packageTotals({
      name: "p",
      hasTests: true,
      exitCode: 1,
      report: { ...report, success: false },
    });
    expect(totals.failed).toBe(1);
  });

  it("counts a test task turbo never ran", () => {
    expect(packageTotals({ name: "p", hasTests: true, exitCode: undefined, report }).failed).toBe(
      1,
    );
  });

  it("counts failed tests once, not again for the exit code", () => {
    const failing = { ...report, success: false, numFailedTests: 2 };
    expect(packageTotals({ name: "p", hasTests: true, exitCode: 1, report: failing }).failed).toBe(
      2,
    );
  });

  it("counts a run with no test as failed", () => {
    const empty = {
      success: true,
      numPassedTests: 0,
      numFailedTests: 0,
      numPendingTests: 0,
      numTodoTests: 0,
      numTotalTests: 0,
    };
    expect(packageTotals({ name: "p", hasTests: true, exitCode: 0, report: empty }).failed).toBe(1);
  });
});

describe("sumTotalsLines", () => {
  it("adds the lines of several runs", () => {
    expect(
      sumTotalsLines(["3 passed, 1 failed, 2 skipped", "4 passed, 0 failed, 0 skipped\n"]),
    ).toBe("7 passed, 1 failed, 2 skipped");
  });

  it("counts a line that does not parse as a failure", () => {
    expect(sumTotalsLines(["5 passed, 0 failed, 0 skipped", ""])).toBe(
      "5 passed, 1 failed, 0 skipped",
    );
  });
});
