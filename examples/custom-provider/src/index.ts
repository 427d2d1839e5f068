import { resolve } from "node:path";
import { defineSandboxProvider } from "@sandbox/core";
import { z } from "zod";
import { HostDirectoryProvider } from "./host-directory-provider.js";

export {
  HostDirectoryProvider,
  type HostDirectoryProviderOptions,
} from "./host-directory-provider.js";

/**
 * The module's default export, so config can name this package as its `provider`:
 * `{ "provider": "@sandbox/example-custom-provider", "options": { "skillsDir": "./skills" } }`.
 */
export default defineSandboxProvider({
  name: "host-directory",
  optionsSchema: z.object({ skillsDir: z.string().optional() }),
  create: (options, { baseDir, root }) =>
    new HostDirectoryProvider({
      baseDir,
      skillsDir: options.skillsDir === undefined ? undefined : resolve(root, options.skillsDir),
    }),
});
