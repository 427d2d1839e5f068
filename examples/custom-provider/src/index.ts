import { resolve } from "node:path";
import { defineSandboxProvider, envMapSchema, passEnvSchema } from "@sandbox/core";
import { z } from "zod";
import { HostDirectoryProvider } from "./host-directory-provider.js";

export {
  HostDirectoryProvider,
  type HostDirectoryProviderOptions,
} from "./host-directory-provider.js";

/**
 * The module's default export, so config can name this package as its `provider`:
 * `{ "provider": "@sandbox/example-custom-provider", "options": { "skillsDir": "./skills" } }`.
 *
 * `environment` and `passEnv` use core's schemas, so they mean what they mean for every other
 * provider: `$VAR` values expand when the config is read, and only the host variables `passEnv`
 * names reach a command.
 */
export default defineSandboxProvider({
  name: "host-directory",
  optionsSchema: z.object({
    skillsDir: z.string().optional(),
    environment: envMapSchema().default({}),
    passEnv: passEnvSchema(),
  }),
  create: (options, { baseDir, root }) =>
    new HostDirectoryProvider({
      baseDir,
      skillsDir: options.skillsDir === undefined ? undefined : resolve(root, options.skillsDir),
      environment: options.environment,
      passEnv: options.passEnv,
    }),
});
