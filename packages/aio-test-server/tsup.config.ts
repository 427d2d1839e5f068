import { packageBuild } from "../../tsup.shared.js";

export default [
  packageBuild({
    entry: { index: "src/index.ts", testing: "src/testing/index.ts" },
    // The image bundle below is written into dist/image by a build that runs in parallel;
    // keep this build's clean step away from it.
    clean: ["!image/**"],
    // `testing` locates the package root from its own URL; the shim gives CJS an import.meta.url.
    shims: true,
  }),
  // One self-contained file (zod included) that the AIO test image runs with the host's node:
  // the image has no node_modules, so nothing may stay external.
  packageBuild({
    entry: { "aio-server": "src/main.ts" },
    outDir: "dist/image",
    format: ["cjs"],
    outExtension: () => ({ js: ".cjs" }),
    dts: false,
    sourcemap: false,
    // No clean: other packages' test setups read this file while the monorepo builds, and a
    // clean would leave it missing for the whole bundling time. esbuild overwrites it in place.
    clean: false,
    noExternal: [/.*/],
  }),
];
