#!/usr/bin/env node
import { processIo } from "./io.js";
import { runCli } from "./run-cli.js";
import { exitWhenSettled } from "./settled-exit.js";

exitWhenSettled(runCli(process.argv.slice(2), processIo()));
