#!/usr/bin/env node
import { enableCompileCache } from "./compile-cache.js";

// Before anything else is imported, so the compile cache covers the CLI and all it loads.
enableCompileCache();
void Promise.all([import("./io.js"), import("./run-cli.js"), import("./settled-exit.js")]).then(
  ([{ processIo }, { runCli }, { exitWhenSettled }]) =>
    exitWhenSettled(runCli(process.argv.slice(2), processIo())),
);
