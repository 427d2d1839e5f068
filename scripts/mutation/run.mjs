#!/usr/bin/env node
// Runs Stryker on the modules of scripts/mutation/modules.mjs, one after the other, and prints
// one score line per module (and per file that must score 100%).
//
//   node scripts/mutation/run.mjs                          every module, in full (`pnpm mutate`)
//   node scripts/mutation/run.mjs --package packages/core  one package's modules
//   node scripts/mutation/run.mjs core-paths local-exec    the named modules
//   node scripts/mutation/run.mjs --incremental ...        reuse .stryker/incremental-*.json
//   node scripts/mutation/run.mjs --report ...             only summarise the last reports
//
// Stryker needs Node >= 22. Every run writes .reports/mutation-<module>.json in its package and
// updates the committed incremental file .stryker/incremental-<module>.json (see
// scripts/mutate-changed.mjs). Exits non-zero when a module scores below BREAK_SCORE, a file
// of FULL_SCORE_FILES below 100%, or Stryker fails.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BREAK_SCORE, FULL_SCORE_FILES, MODULES } from "./modules.mjs";
import { isReviewed } from "./reviewed.mjs";
import { scoreOf } from "./score.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Runs the given modules; returns the summary lines and whether every one passed. */
export function runModules(modules, { incremental = false, reportOnly = false } = {}) {
  const results = [];
  let ok = true;
  for (const module of modules) {
    const cwd = join(root, module.package);
    const started = Date.now();
    console.log(`\n== mutation: ${module.name} (${module.package}: ${module.mutate.join(" ")})`);
    const args = ["exec", "stryker", "run", "stryker.config.mjs"];
    // Incremental reuses the results of unchanged mutants; otherwise every mutant runs again
    // (and the incremental file is rewritten from scratch).
    if (!incremental) args.push("--force");
    const run = reportOnly
      ? { status: 0 }
      : spawnSync("pnpm", args, {
          cwd,
          stdio: "inherit",
          env: { ...process.env, STRYKER_MODULE: module.name },
        });
    const seconds = Math.round((Date.now() - started) / 1000);
    let report;
    try {
      report = JSON.parse(readFileSync(join(cwd, `.reports/mutation-${module.name}.json`), "utf8"));
    } catch {
      report = undefined;
    }
    if (run.status !== 0) ok = false;
    if (!report) {
      ok = false;
      results.push({ module: module.name, error: `no report (stryker exited ${run.status})` });
      continue;
    }
    const score = scoreOf(Object.values(report.files));
    if (score.score < BREAK_SCORE) ok = false;
    const files = [];
    for (const file of FULL_SCORE_FILES[module.package] ?? []) {
      const entry = report.files[file];
      if (!entry) continue;
      // Survivors reviewed as equivalent (reviewed.mjs) do not count against the 100%.
      const open = entry.mutants.filter(
        (m) =>
          (m.status === "Survived" || m.status === "NoCoverage") &&
          !isReviewed(module.package, file, entry.source, m),
      );
      const fileScore = scoreOf([entry]);
      const reviewed = fileScore.survived + fileScore.noCoverage - open.length;
      if (open.length > 0) ok = false;
      files.push({ file, ...fileScore, reviewed, open: open.map((m) => describe(entry, m)) });
    }
    results.push({ module: module.name, seconds, ...score, files });
  }
  return { results, ok };
}

/** A surviving mutant, as `file:line:column Mutator => replacement | original line`. */
function describe(entry, m) {
  const { line, column } = m.location.start;
  const code = entry.source.split("\n")[line - 1]?.trim();
  return `${line}:${column} ${m.status} ${m.mutatorName} => ${m.replacement} | ${code}`;
}

/** One line per module and per 100% file. */
export function formatResults(results) {
  const lines = [];
  for (const r of results) {
    if (r.error) {
      lines.push(`${r.module}: ${r.error}`);
      continue;
    }
    lines.push(
      `${r.module}: ${r.score.toFixed(2)}% (${r.detected}/${r.valid} killed, ${r.survived} survived, ${r.noCoverage} no coverage, ${r.ignored} ignored) in ${r.seconds}s`,
    );
    for (const f of r.files) {
      const state =
        f.open.length > 0
          ? `${f.open.length} unreviewed survivor(s), must be none`
          : "every mutant killed or reviewed";
      lines.push(
        `  ${f.file}: ${f.score.toFixed(2)}%, ${f.reviewed} reviewed equivalent: ${state}`,
      );
      for (const m of f.open) lines.push(`    ${m}`);
    }
  }
  return lines;
}

/** Parses the command line shared with mutate-changed.mjs. */
export function selectModules(argv) {
  const names = argv.filter((a) => !a.startsWith("--"));
  const packageIndex = argv.indexOf("--package");
  const packageDir = packageIndex >= 0 ? argv[packageIndex + 1] : undefined;
  const wanted = names.filter((n) => n !== packageDir);
  const unknown = wanted.filter((n) => !MODULES.some((m) => m.name === n));
  if (unknown.length > 0) throw new Error(`Unknown module(s): ${unknown.join(", ")}`);
  return MODULES.filter(
    (m) =>
      (packageDir === undefined || m.package === packageDir) &&
      (wanted.length === 0 || wanted.includes(m.name)),
  );
}

export function writeSummary(results, file) {
  mkdirSync(join(root, ".reports"), { recursive: true });
  writeFileSync(join(root, ".reports", file), `${JSON.stringify(results, null, 2)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const modules = selectModules(argv);
  const { results, ok } = runModules(modules, {
    incremental: argv.includes("--incremental"),
    reportOnly: argv.includes("--report"),
  });
  console.log("\n== mutation scores");
  for (const line of formatResults(results)) console.log(line);
  const suffix = argv.includes("--package")
    ? `-${argv[argv.indexOf("--package") + 1].split("/").pop()}`
    : "";
  writeSummary(results, `mutation-summary${suffix}.json`);
  process.exit(ok ? 0 : 1);
}
