import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import {
  AIO_TEST_IMAGE,
  containersOf,
  describeDocker,
  uniquePrefix,
} from "./support/docker-env.js";
import { tempDir } from "./support/providers.js";

const script = fileURLToPath(new URL("./support/acquire-unready.mts", import.meta.url));
const packageDir = fileURLToPath(new URL("..", import.meta.url));

describeDocker("a pending AIO acquire keeps the process alive", () => {
  it("a script awaiting only acquire() waits for it to fail and leaves no container", async () => {
    const prefix = uniquePrefix("pend");
    const baseDir = await tempDir("pend");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", script, baseDir, prefix, AIO_TEST_IMAGE],
      { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    // Before the fix: exit code 13 (unsettled top-level await) partway, container left running.
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(stdout)).toEqual({ code: "TIMEOUT" });
    expect(await containersOf(prefix)).toEqual([]);
  });
});
