#!/usr/bin/env node
// Build the local Docker test images, FROM scratch, out of host binaries (no registry needed):
//
//   sandbox-test/busybox:latest  static busybox + applets, /tmp, /mnt, root and sandbox (1000)
//   sandbox-test/aio:latest      the same + host node and its libraries + the AIO test server
//
// Usage: node scripts/docker/build-test-images.mjs [--force]
//
// Each image is labelled with a hash of its inputs and rebuilt only when they change, so this is
// cheap to run before every test run. It builds @sandbox/aio-test-server first (turbo-cached),
// because the AIO image carries that package's server bundle. The logic lives in the package
// (`@sandbox/aio-test-server/testing`), where test suites call the same function.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const force = process.argv.includes("--force");

const build = spawnSync(
  "pnpm",
  [
    "exec",
    "turbo",
    "run",
    "build",
    "--filter=@sandbox/aio-test-server",
    "--output-logs=errors-only",
  ],
  { cwd: repoRoot, stdio: ["ignore", "inherit", "inherit"] },
);
if (build.status !== 0) {
  console.error("build-test-images: building @sandbox/aio-test-server failed");
  process.exit(build.status ?? 1);
}

const testing = pathToFileURL(join(repoRoot, "packages/aio-test-server/dist/testing.js")).href;
const { dockerAvailable, ensureTestImages } = await import(testing);

if (!(await dockerAvailable())) {
  console.error(
    "build-test-images: no Docker engine answers; run `bash scripts/docker/ensure-docker.sh` first",
  );
  process.exit(1);
}

const started = Date.now();
const results = await ensureTestImages({
  force,
  log: (line) => console.log(`build-test-images: ${line}`),
});
const built = results.filter((image) => image.built).length;
console.log(
  `build-test-images: ${built} built, ${results.length - built} up to date in ${Date.now() - started} ms`,
);
