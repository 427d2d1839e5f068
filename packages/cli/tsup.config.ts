import { packageBuild } from "../../tsup.shared.js";

// Two entries: the library (`runCli` and helpers) and the `sandbox` binary. The binary's source
// starts with a shebang, which esbuild keeps and tsup turns into an executable file. `shims`
// gives the CJS build an `import.meta.url`, used to resolve the providers the CLI ships with.
// `splitting`: a command's module loaded with `import()` (sandbox mcp and its MCP SDK) becomes a
// chunk of its own, so the other commands do not pay its import on every start (issue 17).
export default packageBuild({
  entry: ["src/index.ts", "src/cli.ts"],
  shims: true,
  splitting: true,
});
