#!/usr/bin/env node
// CI's mutation step: runs Stryker, incrementally, on the modules a change touches.
//
// Each module's last full result is committed as <package>/.stryker/incremental-<module>.json
// (written by `pnpm mutate`). A module is touched when one of its mutated files, or one of the
// test files Stryker ran, differs from the copy in that file (or the file is missing). New test
// files do not count: they can only kill more mutants. Touched
// modules run with Stryker's --incremental: only the mutants in changed code, or covered by
// changed tests, run again; the rest keep their recorded result. Untouched modules cost nothing.
// Needs no git history, so it works on CI's fresh clone; see docs/testing.md for the choice.
//
//   node scripts/mutate-changed.mjs            run the touched modules
//   node scripts/mutate-changed.mjs --list     only print which modules are touched, and why
import { existsSync, globSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MODULES, TEST_EXCLUDES } from "./mutation/modules.mjs";
import { formatResults, runModules, writeSummary } from "./mutation/run.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function read(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

function filesOf(cwd, patterns) {
  const include = patterns.filter((p) => !p.startsWith("!"));
  const exclude = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
  return globSync(include, { cwd, exclude }).sort();
}

/** Why `module` needs a run, or `undefined` when its recorded result still holds. */
export function reasonToRun(module) {
  const cwd = join(root, module.package);
  const recordFile = join(cwd, `.stryker/incremental-${module.name}.json`);
  if (!existsSync(recordFile)) return "no incremental file";
  const record = JSON.parse(readFileSync(recordFile, "utf8"));
  const mutated = filesOf(cwd, [...module.mutate, ...TEST_EXCLUDES]);
  const recorded = Object.keys(record.files).sort();
  if (mutated.join("\n") !== recorded.join("\n")) return "the set of mutated files changed";
  for (const file of mutated) {
    if (read(join(cwd, file)) !== record.files[file].source) return `${file} changed`;
  }
  // The test files Stryker ran for this module (vitest's related files). A changed or deleted
  // one can let a mutant survive; a new test file can only kill more, never lower the score.
  for (const [file, entry] of Object.entries(record.testFiles ?? {})) {
    if (read(join(cwd, file)) !== entry.source) return `${file} changed`;
  }
  return undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const touched = [];
  for (const module of MODULES) {
    const reason = reasonToRun(module);
    console.log(`mutation: ${module.name}: ${reason ? `runs (${reason})` : "unchanged, skipped"}`);
    if (reason) touched.push(module);
  }
  if (process.argv.includes("--list") || touched.length === 0) process.exit(0);
  const { results, ok } = runModules(touched, { incremental: true });
  console.log("\n== mutation scores (touched modules)");
  for (const line of formatResults(results)) console.log(line);
  writeSummary(results, "mutation-summary-changed.json");
  process.exit(ok ? 0 : 1);
}
