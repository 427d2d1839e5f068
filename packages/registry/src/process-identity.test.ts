import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { deadPid } from "../test/support/temp-dir.js";
import { currentProcessIdentity, processStatus, readProcessStartTime } from "./process-identity.js";

describe("currentProcessIdentity", () => {
  it("names this process, its host and (on Linux) its start time", () => {
    const self = currentProcessIdentity();
    expect(self.pid).toBe(process.pid);
    expect(self.hostname).toBe(hostname());
    if (process.platform === "linux") {
      expect(self.startTime).toMatch(/^linux:[0-9a-f-]+:\d+$/);
      expect(self.startTime).toBe(readProcessStartTime(process.pid));
    }
  });
});

describe("processStatus", () => {
  it("finds this process alive", () => {
    expect(processStatus(currentProcessIdentity())).toBe("alive");
  });

  it("finds an exited process dead", async () => {
    const pid = await deadPid();
    expect(processStatus({ pid, startTime: null })).toBe("dead");
    expect(readProcessStartTime(pid)).toBeNull();
  });

  it("never addresses a process group: pid 0 and negative pids count as dead", () => {
    expect(processStatus({ pid: 0, startTime: null })).toBe("dead");
    expect(processStatus({ pid: -1, startTime: null })).toBe("dead");
    expect(processStatus({ pid: 1.5, startTime: null })).toBe("dead");
  });

  it.runIf(process.platform === "linux")(
    "tells a reused pid from its first owner by the start time",
    async () => {
      const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 10000)"], {
        stdio: "ignore",
      });
      try {
        const pid = child.pid ?? 0;
        const startTime = readProcessStartTime(pid);
        expect(startTime).not.toBeNull();
        expect(startTime).not.toBe(currentProcessIdentity().startTime);
        expect(processStatus({ pid, startTime })).toBe("alive");
        expect(processStatus({ pid, startTime: "linux:other-boot:1" })).toBe("reused");
        // Unknown start time (a record from a platform without /proc): alive is all we can say.
        expect(processStatus({ pid, startTime: null })).toBe("alive");
      } finally {
        child.kill("SIGKILL");
        await new Promise((resolve) => child.on("close", resolve));
      }
    },
  );
});
