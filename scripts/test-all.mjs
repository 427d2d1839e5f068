#!/usr/bin/env node
// The whole test suite, as the README's test command and `.ci/run` run it: lint, build,
// type-check, package exports, then every workspace package's tests (examples included).
// Ends with one line of totals, `N passed, N failed, N skipped`, summed from each package's
// vitest JSON report, because CI reads that line rather than vitest's own summary.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const steps = [
  ["lint", "pnpm", ["exec", "biome", "ci", "."]],
  [
    "build, typecheck, exports",
    "pnpm",
    ["exec", "turbo", "run", "build", "typecheck", "check-exports", "--output-logs=errors-only"],
  ],
  ["tests", "pnpm", ["exec", "turbo", "run", "test", "--continue", "--concurrency=1"]],
];

function workspacePackages() {
  return ["packages", "examples"].flatMap((group) => {
    const dir = join(root, group);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((name) => join(dir, name))
      .filter((path) => existsSync(join(path, "package.json")));
  });
}

const testedPackages = workspacePackages().filter((dir) => {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  return Boolean(manifest.scripts?.test);
});
for (const dir of testedPackages) rmSync(join(dir, ".reports", "vitest.json"), { force: true });

const failedSteps = [];
for (const [label, command, args] of steps) {
  console.log(`\n▶ ${label}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    failedSteps.push(label);
    // Nothing downstream is meaningful if the build is broken.
    if (label !== "tests" && label !== "lint") break;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of testedPackages) {
  const report = join(dir, ".reports", "vitest.json");
  const name = dir.slice(root.length);
  if (!existsSync(report)) {
    failed += 1;
    console.log(`✗ ${name}: no test report (its test run crashed or never started)`);
    continue;
  }
  const totals = JSON.parse(readFileSync(report, "utf8"));
  passed += totals.numPassedTests;
  failed += totals.numFailedTests + (totals.success || totals.numFailedTests > 0 ? 0 : 1);
  skipped += totals.numPendingTests + totals.numTodoTests;
  console.log(
    `  ${name}: ${totals.numPassedTests} passed, ${totals.numFailedTests} failed, ${totals.numPendingTests} skipped`,
  );
}
for (const step of failedSteps) if (step !== "tests") failed += 1;

const line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
mkdirSync(join(root, ".reports"), { recursive: true });
writeFileSync(join(root, ".reports", "totals.txt"), `${line}\n`);
if (failedSteps.length > 0) console.log(`\nFailed steps: ${failedSteps.join(", ")}`);
console.log(line);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
