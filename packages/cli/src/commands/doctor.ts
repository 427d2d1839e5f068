import type { ProviderFlags } from "../config/provider-flags.js";
import type { CommandContext } from "../context.js";
import type { CheckResult, CheckStatus } from "../doctor/check.js";
import { checkConfig } from "../doctor/config-check.js";
import { checkNodeVersion } from "../doctor/node-version.js";
import { checkDirectoryPermissions } from "../doctor/permissions-check.js";
import { doctorSubjects, registrySchemaOf, runProviderDoctor } from "../doctor/provider-checks.js";
import { checkRegistries } from "../doctor/registry-check.js";
import type { Colors } from "../output/colors.js";

/** Flags of `sandbox doctor`. */
export interface DoctorFlags extends ProviderFlags {
  fix?: boolean;
  json?: boolean;
  /** Providers (short name, package or path) whose own checks run even when not configured. */
  with?: string[];
}

function statusMark(status: CheckStatus, colors: Colors): string {
  if (status === "ok") return colors.green("ok  ");
  if (status === "warn") return colors.yellow("warn");
  return colors.red("fail");
}

/**
 * The report as a person reads it: one line per check, its hint and fixes indented below.
 *
 * @example
 * ```ts
 * renderReport([{ name: "node", status: "ok", message: "Node.js v20.19.0" }], colors);
 * ```
 */
export function renderReport(results: CheckResult[], colors: Colors): string {
  const width = Math.max(...results.map((result) => result.name.length));
  const lines: string[] = [];
  for (const result of results) {
    lines.push(
      `${statusMark(result.status, colors)}  ${colors.bold(result.name.padEnd(width))}  ${result.message}`,
    );
    const indent = " ".repeat(width + 8);
    for (const fixed of result.fixed ?? [])
      lines.push(`${indent}${colors.green("fixed:")} ${fixed}`);
    if (result.hint && result.status !== "ok")
      lines.push(`${indent}${colors.dim(`hint: ${result.hint}`)}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `sandbox doctor`: checks Node.js, the config and provider, that `baseDir` and the registry are
 * owner-only, and the registry; then the provider's own checks (its definition's `cli.doctor`
 * hook: Docker's engine and orphans, the local provider's bubblewrap, a third party's own), and
 * those of each `--with` provider. `--fix` repairs what can be repaired. Exit 1 when any check
 * fails.
 *
 * @example
 * ```ts
 * const status = await runDoctor({ fix: true }, context);
 * ```
 */
export async function runDoctor(flags: DoctorFlags, context: CommandContext): Promise<number> {
  const { io, out, err } = context;
  const fix = flags.fix === true;
  const results: CheckResult[] = [checkNodeVersion()];
  const configured = await checkConfig(flags, io);
  results.push(...configured.results);
  const { subjects, results: unloaded } = await doctorSubjects(
    configured,
    flags.with ?? [],
    io.cwd,
  );
  if (configured.config) {
    results.push(
      await checkDirectoryPermissions(configured.config.baseDir, { fix }),
      ...(await checkRegistries(configured.config.baseDir, {
        fix,
        schemaFor: registrySchemaOf(subjects),
      })),
    );
  }
  results.push(...unloaded);
  for (const subject of subjects) results.push(...(await runProviderDoctor(subject, fix)));

  const failed = results.filter((result) => result.status === "fail").length;
  const warned = results.filter((result) => result.status === "warn").length;
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ ok: failed === 0, checks: results }, null, 2)}\n`);
  } else {
    io.stdout.write(renderReport(results, out));
    const summary = `${results.length} checks: ${failed} failed, ${warned} warnings`;
    io.stderr.write(`${failed > 0 ? err.red(summary) : err.dim(summary)}\n`);
  }
  return failed > 0 ? 1 : 0;
}
