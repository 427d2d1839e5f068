import { z } from "zod";
import { ENV_NAME_PATTERN, PASS_ENV_ENTRY_PATTERN } from "../exec/exec-env.js";

// `$NAME`, `${NAME}`, or `$$` for a literal dollar sign.
const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Expands `$NAME` and `${NAME}` in a config value from `env` (`$$` is a literal `$`).
 * Returns the missing names instead of guessing an empty string for them.
 *
 * @example
 * ```ts
 * expandEnvReferences("Bearer $TOKEN", { TOKEN: "abc" }); // { value: "Bearer abc", missing: [] }
 * ```
 */
export function expandEnvReferences(
  value: string,
  env: NodeJS.ProcessEnv = process.env,
): { value: string; missing: string[] } {
  const missing: string[] = [];
  const expanded = value.replace(REFERENCE, (whole, braced?: string, bare?: string) => {
    if (whole === "$$") return "$";
    const name = (braced ?? bare) as string;
    const found = env[name];
    if (found === undefined) missing.push(name);
    return found ?? "";
  });
  return { value: expanded, missing };
}

// Maps this module has already expanded. createSandboxProvider parses a provider's options, then
// a provider's own create may parse them again (the Docker provider does): expanding twice would
// turn a `$` that came from a host value, or from `$$`, into a second reference (`$$HOME` would
// end up as the host's HOME, and a password `p$ss` as an unset-variable error).
const expandedMaps = new WeakSet<object>();

function escapeDollars(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map).map(([name, value]) => [name, value.replaceAll("$", "$$$$")]),
  );
}

/**
 * A zod schema for an environment map in config (`{ NAME: "value" }`): names are checked and
 * `$VAR` references resolve from the host environment when the config is parsed. A reference to
 * an unset variable is an error that names the field. Parsing a map this schema produced again
 * leaves it as it is: values are expanded exactly once.
 *
 * @example
 * ```ts
 * const Options = z.object({ environment: envMapSchema().default({}) });
 * Options.parse({ environment: { API_URL: "$UPSTREAM_URL" } });
 * ```
 */
export function envMapSchema(env: NodeJS.ProcessEnv = process.env) {
  const expanding = z
    .record(
      z.string().regex(ENV_NAME_PATTERN, "must be a valid environment variable name"),
      z.string(),
    )
    .transform((map, context) => {
      const resolved: Record<string, string> = {};
      for (const [name, raw] of Object.entries(map)) {
        const { value, missing } = expandEnvReferences(raw, env);
        if (missing.length > 0) {
          context.addIssue({
            code: "custom",
            path: [name],
            message: `references unset environment variable ${missing.map((m) => `$${m}`).join(", ")}`,
          });
        }
        resolved[name] = value;
      }
      expandedMaps.add(resolved);
      return resolved;
    });
  // An already expanded map is escaped first, so the expansion gives back exactly its values.
  return z.preprocess<unknown, typeof expanding, Record<string, string>>(
    (input) =>
      typeof input === "object" && input !== null && expandedMaps.has(input)
        ? escapeDollars(input)
        : input,
    expanding,
  );
}

/**
 * A zod schema for the `passEnv` option every provider has: host variables the operator chooses
 * to pass into commands, by name (`AWS_REGION`) or by prefix (`GIT_*`). Default `[]`: commands
 * get no host variable beyond the allow-list of `buildCommandEnv`.
 *
 * @example
 * ```ts
 * const Options = z.object({ passEnv: passEnvSchema() });
 * Options.parse({ passEnv: ["AWS_REGION", "GIT_*"] });
 * ```
 */
export function passEnvSchema() {
  return z
    .array(
      z
        .string()
        .regex(
          PASS_ENV_ENTRY_PATTERN,
          'must be a variable name or a name prefix ending in "*" (e.g. "AWS_REGION", "GIT_*")',
        ),
    )
    .default([]);
}
