// Issue 19, item 9: a process the agent leaves behind in a resident shell session can read the
// session's later requests through /proc/$PPID/fd/0. That exposes the agent's own later commands
// (documented in docs/docker.md); the provider's own commands (tree kill, container-side file
// scripts, the archive owner look-up) must never pass through a session, so it sees none of them.
import type { Sandbox } from "@sandbox/core";
import { beforeAll, expect, it } from "vitest";
import { runExec } from "../src/docker/exec-process.js";
import { describeDocker, docker, uniquePrefix } from "./support/docker-env.js";
import { providerFactory, tempDir } from "./support/providers.js";

const prefix = uniquePrefix("rx");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A helper that went through the stopped session would hang; give up on it after this long.
const HELPER_PATIENCE_MS = 10_000;

async function patiently(operation: Promise<unknown>): Promise<void> {
  await Promise.race([operation.catch(() => undefined), sleep(HELPER_PATIENCE_MS)]);
}

describeDocker("exec transport: what a leftover reading a session's stdin sees", () => {
  let sandbox: Sandbox;
  let container = "";
  beforeAll(async () => {
    baseDir = await tempDir("rx");
    // One session, so the agent's leftover sits in the session every request would take; file
    // operations in the container, so the provider's file scripts run there too.
    const provider = await makeProvider({
      idleTimeoutMs: 0,
      residentShells: 1,
      fileAccess: "container",
    });
    const id = await provider.acquire("exposure");
    sandbox = (await provider.get(id)) as Sandbox;
    container = `${prefix}-${id}`;
  });

  // What the leftover copied so far.
  async function stolen(): Promise<string> {
    const result = await runExec(
      docker.getContainer(container),
      { cmd: ["/bin/sh", "-c", "cat /tmp/stolen"] },
      { maxBytes: 1024 * 1024, deadlineMs: 10_000 },
    );
    return result.stdout.toString();
  }

  it("never sees a provider helper's script or arguments, only the agent's own later commands", async () => {
    expect((await sandbox.exec("echo $PPID")).stdout.trim()).not.toBe("0");
    // The attack: once the command has returned, stop the session's shell (so every byte sent to
    // it reaches the leftover) and copy its stdin. Its own output goes nowhere, so the session
    // is not retired as one a leftover writes to.
    await sandbox.exec(
      "P=$PPID; (sleep 1; kill -STOP $P; exec cat /proc/$P/fd/0 > /tmp/stolen) </dev/null >/dev/null 2>&1 &",
    );
    // The copy starts (and /tmp/stolen appears) only after the shell is stopped: wait for that
    // rather than for a fixed time a loaded machine may not keep.
    for (let tries = 0; tries < 300; tries += 1) {
      const probe = await runExec(
        docker.getContainer(container),
        { cmd: ["/bin/sh", "-c", "test -e /tmp/stolen"] },
        { maxBytes: 1024, deadlineMs: 10_000 },
      );
      if (probe.exitCode === 0) break;
      await sleep(100);
    }

    // The provider's own commands: file scripts with their path arguments, the archive owner
    // look-up (`id -u; id -g`), and the tree kill after a timeout.
    await patiently(sandbox.writeFile("/mnt/user-data/workspace/helper-secret-name.txt", "x"));
    await patiently(sandbox.readFile("/mnt/user-data/workspace/helper-secret-name.txt"));
    await patiently(sandbox.listDir("/mnt/user-data/workspace"));
    // None of them went through the session.
    const afterHelpers = await stolen();
    expect(afterHelpers).not.toContain("helper-secret-name");
    expect(afterHelpers).not.toContain("id -u");
    expect(afterHelpers).not.toContain("round=0");

    // The agent's own next command takes the session and is exposed, env values included: what
    // docs/docker.md says a session exposes. It never runs (the shell is stopped), so it times
    // out, and the tree kill runs, which the leftover does not see either.
    const exposed = await sandbox.exec("echo agent-command", {
      env: { AGENT_VALUE: "agent-env-value" },
      timeoutMs: 1000,
    });
    expect(exposed.timedOut).toBe(true);
    const afterAgent = await stolen();
    expect(afterAgent).toContain("agent-command");
    expect(afterAgent).toContain("agent-env-value");
    expect(afterAgent).not.toContain("round=0");
  });
});
