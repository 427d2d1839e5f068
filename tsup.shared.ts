import { defineConfig, type Options } from "tsup";

/**
 * One build recipe for every published package: ESM + CJS + declarations for both,
 * so `exports` can point `import` and `require` at matching types.
 */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node22",
    platform: "node",
    splitting: false,
    treeshake: true,
    ...overrides,
  });
}
