import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { bwrapTestMode } from "./bwrap-availability.js";

// `network: true` must share the host's network, and only then. Comparing against the host's own
// interfaces proves nothing on a host with loopback alone, so the test makes a network namespace
// of its own with a veth pair of known names (both ends stay in it; not every kernel has the
// `dummy` module) and runs the provider in it. That needs root
// (CI runs as root); elsewhere the test says why it did not run, and CI never skips it.
const VETH = ["sbxtest0", "sbxtest1"];
const FIXTURE = new URL("./fixtures/bwrap-interfaces.mjs", import.meta.url).pathname;
const mode = bwrapTestMode();

function canMakeNetworkNamespaces(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync("unshare", ["--net", "true"], { stdio: "ignore" });
    execFileSync("ip", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const runs = mode.run && (Boolean(process.env.CI) || canMakeNetworkNamespaces());

describe.skipIf(!runs)("isolation: bwrap network (own namespace with a veth pair)", () => {
  it("shares the namespace's interfaces with network: true, and only loopback without", () => {
    const script = [
      "set -e",
      "ip link set lo up",
      `ip link add ${VETH[0]} type veth peer name ${VETH[1]}`,
      `exec "${process.execPath}" "${FIXTURE}"`,
    ].join("\n");
    const result = spawnSync("unshare", ["--net", "sh", "-c", script], {
      cwd: new URL("..", import.meta.url).pathname,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const seen = JSON.parse(result.stdout) as { shared: string[]; off: string[] };
    expect(seen.shared).toEqual([...VETH, "lo"].sort());
    expect(seen.off).toEqual(["lo"]);
  });
});
