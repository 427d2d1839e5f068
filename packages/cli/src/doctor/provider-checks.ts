import { resolve } from "node:path";
import {
  DoctorCheckSchema,
  type DoctorContext,
  formatIssues,
  isSandboxError,
  type RegistryEntry,
  type SandboxProviderDefinition,
} from "@sandbox/core";
import { z } from "zod";
import {
  type CliConfig,
  importProviderDefinition,
  openProvider,
} from "../config/resolve-provider.js";
import { type CheckResult, checkResult } from "./check.js";
import type { ConfigCheckOutcome } from "./config-check.js";

/** A provider whose own doctor checks run: the configured one, or one asked for with `--with`. */
export interface DoctorSubject {
  definition: SandboxProviderDefinition;
  /** The config selects this provider and its options parsed. */
  configured: boolean;
  /** The parsed options when {@link configured}. */
  options: unknown;
  /** What `open()` creates the provider from: the config, or defaults beside it. */
  config: CliConfig;
}

/** The providers `doctor` asks for checks, and a failed line for each `--with` that did not load. */
export interface DoctorSubjects {
  subjects: DoctorSubject[];
  results: CheckResult[];
}

const DoctorChecksSchema = z.array(DoctorCheckSchema);

// A provider checked without its config: the config's folders when there is one (so its
// registry and containers are the ones looked at), otherwise the working directory's defaults.
function unconfiguredConfig(
  specifier: string,
  config: CliConfig | undefined,
  cwd: string,
): CliConfig {
  const root = config?.root ?? cwd;
  return {
    provider: specifier,
    root,
    baseDir: config?.baseDir ?? resolve(root, ".sandbox"),
    source: undefined,
    options: {},
    explicitOptions: [],
  };
}

/**
 * The providers whose `cli.doctor` hooks `sandbox doctor` runs: the configured provider when its
 * options are valid, then each `--with` provider (a builtin short name, package or path) not
 * already among them, checked without options.
 *
 * @example
 * ```ts
 * const { subjects, results } = await doctorSubjects(configured, ["./my-provider.js"], io.cwd);
 * ```
 */
export async function doctorSubjects(
  configured: ConfigCheckOutcome,
  withProviders: readonly string[],
  cwd: string,
): Promise<DoctorSubjects> {
  const subjects: DoctorSubject[] = [];
  const results: CheckResult[] = [];
  if (configured.config && configured.definition && configured.options !== undefined) {
    subjects.push({
      definition: configured.definition,
      configured: true,
      options: configured.options,
      config: configured.config,
    });
  }
  for (const specifier of withProviders) {
    const config = unconfiguredConfig(specifier, configured.config, cwd);
    let definition: SandboxProviderDefinition;
    try {
      definition = await importProviderDefinition(config);
    } catch (error) {
      results.push(
        checkResult(`provider ${specifier}`, "fail", (error as Error).message, {
          hint: isSandboxError(error) ? error.hint : undefined,
        }),
      );
      continue;
    }
    if (subjects.some((subject) => subject.definition.name === definition.name)) continue;
    subjects.push({ definition, configured: false, options: undefined, config });
  }
  return { subjects, results };
}

function isSchema(value: unknown): value is z.ZodType<RegistryEntry> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { safeParse?: unknown }).safeParse === "function"
  );
}

/**
 * The entry schema a provider declares (`cli.registrySchemas`) for a registry namespace, from
 * the first subject that declares one; `undefined` when none does.
 *
 * @example
 * ```ts
 * await checkRegistries(baseDir, { fix, schemaFor: registrySchemaOf(subjects) });
 * ```
 */
export function registrySchemaOf(
  subjects: readonly DoctorSubject[],
): (namespace: string) => Promise<z.ZodType<RegistryEntry> | undefined> {
  return async (namespace) => {
    for (const { definition } of subjects) {
      const schemas = definition.cli?.registrySchemas;
      // Own keys only: a namespace directory called `constructor` must not find Object's.
      const schema = schemas && Object.hasOwn(schemas, namespace) ? schemas[namespace] : undefined;
      if (isSchema(schema)) return schema;
    }
    return undefined;
  };
}

/**
 * Runs one provider's `cli.doctor` hook. Its checks are validated, since a third-party hook is
 * a boundary: one that throws, or returns something that is not a list of checks, becomes one
 * failed check named after the provider instead of ending the report.
 *
 * @example
 * ```ts
 * for (const subject of subjects) results.push(...(await runProviderDoctor(subject, false)));
 * ```
 */
export async function runProviderDoctor(
  subject: DoctorSubject,
  fix: boolean,
): Promise<CheckResult[]> {
  const hooks = subject.definition.cli;
  if (!hooks?.doctor) return [];
  const { config, definition } = subject;
  const context: DoctorContext = {
    configured: subject.configured,
    options: subject.options,
    fix,
    baseDir: config.baseDir,
    root: config.root,
    open: (options) =>
      openProvider(
        options === undefined ? config : { ...config, options, explicitOptions: [] },
        definition,
      ),
  };
  const name = definition.name;
  let returned: unknown;
  try {
    returned = await hooks.doctor(context);
  } catch (error) {
    return [
      checkResult(
        name,
        "fail",
        `the provider's doctor checks failed: ${error instanceof Error ? error.message : String(error)}`,
        {
          hint: isSandboxError(error) ? error.hint : undefined,
        },
      ),
    ];
  }
  const parsed = DoctorChecksSchema.safeParse(returned);
  if (!parsed.success) {
    return [
      checkResult(
        name,
        "fail",
        `the provider's doctor hook returned an invalid report: ${formatIssues(parsed.error, "checks")}`,
        { hint: `Report it to the author of ${config.provider}` },
      ),
    ];
  }
  return parsed.data.map((check) => checkResult(check.name, check.status, check.message, check));
}
