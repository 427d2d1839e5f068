#!/usr/bin/env node
// The whole test suite, as the README's test command and `.ci/run` run it: lint, build,
// type-check, package exports, then every workspace package's tests (examples included).
// Ends with one line of totals, `N passed, N failed, N skipped`, because CI reads that line
// rather than vitest's own summary. A package counts as failed when its tests fail, when its test
// run exits non-zero without a failed test (an unhandled error), when it leaves no report, and
// when it has no tests at all (tooling/test-runner holds the rules and their tests).
//
//   node scripts/test-all.mjs            everything, on the Node in PATH
//   node scripts/test-all.mjs --compat   build and the packages that need no Docker engine: the
//                                        second, older Node that .ci/run checks (see docs/testing.md)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packageTotals, totalsLine } from "../tooling/test-runner/src/totals.mjs";
import { taskExitCodes } from "../tooling/test-runner/src/turbo-summary.mjs";

const root = new URL("..", import.meta.url).pathname;
const compat = process.argv.includes("--compat");

// Packages whose tests drive a Docker engine. The compatibility run leaves them to the main run,
// which always has Docker in CI.
const NEEDS_DOCKER = new Set([
  "@sandbox/provider-docker",
  "@sandbox/aio-test-server",
  "@sandbox/kube-test-server",
  "@sandbox/cli",
  "@sandbox/tools",
  "@sandbox/example-config-swap",
  "@sandbox/example-custom-provider",
  "@sandbox/example-docker-warm-pool",
]);

function workspacePackages() {
  return ["packages", "examples", "tooling"].flatMap((group) => {
    const dir = join(root, group);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((name) => join(dir, name))
      .filter((path) => existsSync(join(path, "package.json")))
      .map((path) => ({
        dir: path,
        manifest: JSON.parse(readFileSync(join(path, "package.json"), "utf8")),
      }));
  });
}

const packages = workspacePackages().filter(
  (pkg) => !compat || !NEEDS_DOCKER.has(pkg.manifest.name),
);
for (const pkg of packages) rmSync(join(pkg.dir, ".reports", "vitest.json"), { force: true });

const filters = packages.map((pkg) => `--filter=${pkg.manifest.name}`);
const steps = compat
  ? [
      ["build", "pnpm", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]],
      [
        "tests",
        "pnpm",
        [
          "exec",
          "turbo",
          "run",
          "test",
          "--continue",
          "--concurrency=1",
          "--summarize",
          ...filters,
        ],
      ],
    ]
  : [
      ["lint", "pnpm", ["exec", "biome", "ci", "."]],
      [
        "build, typecheck, exports",
        "pnpm",
        [
          "exec",
          "turbo",
          "run",
          "build",
          "typecheck",
          "check-exports",
          "--output-logs=errors-only",
        ],
      ],
      [
        "tests",
        "pnpm",
        ["exec", "turbo", "run", "test", "--continue", "--concurrency=1", "--summarize"],
      ],
    ];

console.log(`Node ${process.version}${compat ? " (compatibility run: no Docker packages)" : ""}`);
const failedSteps = [];
let testsStartedAt = Date.now();
for (const [label, command, args] of steps) {
  console.log(`\n▶ ${label}: ${command} ${args.join(" ")}`);
  if (label === "tests") testsStartedAt = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    failedSteps.push(label);
    // Nothing downstream is meaningful if the build is broken.
    if (label !== "tests" && label !== "lint") break;
  }
}

const exitCodes = taskExitCodes(root, testsStartedAt);
const totals = packages.map((pkg) => {
  const name = pkg.dir.slice(root.length);
  const reportPath = join(pkg.dir, ".reports", "vitest.json");
  const entry = packageTotals({
    name,
    hasTests: Boolean(pkg.manifest.scripts?.test),
    exitCode: exitCodes.get(`${pkg.manifest.name}#test`),
    report: existsSync(reportPath) ? JSON.parse(readFileSync(reportPath, "utf8")) : undefined,
  });
  const mark = entry.failed > 0 ? "✗" : " ";
  console.log(
    `${mark} ${name}: ${entry.passed} passed, ${entry.failed} failed, ${entry.skipped} skipped`,
  );
  for (const problem of entry.problems) console.log(`    ${name} ${problem}`);
  return entry;
});

const { line, failed } = totalsLine(totals, failedSteps.filter((step) => step !== "tests").length);
mkdirSync(join(root, ".reports"), { recursive: true });
writeFileSync(join(root, ".reports", compat ? "totals-compat.txt" : "totals.txt"), `${line}\n`);
if (failedSteps.length > 0) console.log(`\nFailed steps: ${failedSteps.join(", ")}`);
console.log(line);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
