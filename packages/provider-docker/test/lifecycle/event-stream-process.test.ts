import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import {
  BUSYBOX_TEST_IMAGE,
  describeDocker,
  removeContainersOf,
  uniquePrefix,
} from "../support/docker-env.js";
import { tempDir } from "../support/providers.js";

const prefix = uniquePrefix("evexit");

describeDocker("the event stream and the process", () => {
  it("following events never keeps a process alive", async () => {
    const baseDir = await tempDir("evexit");
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(new URL("../support/events-exit-child.mts", import.meta.url)),
        baseDir,
        prefix,
        BUSYBOX_TEST_IMAGE,
      ],
      {
        cwd: fileURLToPath(new URL("../..", import.meta.url)),
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exitCode = await new Promise<number | null>((resolve) => {
      // Far longer than any exit takes; a process held open by the stream never gets there.
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 60_000);
      child.once("exit", (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    await removeContainersOf(prefix);
    expect(output).toContain('"following"');
    expect(exitCode).toBe(0);
  });
});
