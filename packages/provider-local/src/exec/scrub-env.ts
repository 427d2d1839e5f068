/** Host variable names that look like secrets: they never reach a sandboxed command. */
export const SECRET_NAME_PATTERN = /KEY|SECRET|TOKEN|PASS|CREDENTIAL/i;

// The host's working directories say where the harness runs, which is a host path the output
// masker cannot know about; the shell sets PWD itself from the sandbox's cwd.
const HOST_LOCATION_NAMES = new Set(["PWD", "OLDPWD"]);

/**
 * The host environment without secret-looking variables (names containing KEY, SECRET, TOKEN,
 * PASS or CREDENTIAL, any case) and without the host's working directory.
 *
 * @example
 * ```ts
 * scrubEnvironment({ PATH: "/usr/bin", OPENAI_API_KEY: "sk-..." }); // { PATH: "/usr/bin" }
 * ```
 */
export function scrubEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || HOST_LOCATION_NAMES.has(name) || SECRET_NAME_PATTERN.test(name)) {
      continue;
    }
    kept[name] = value;
  }
  return kept;
}
