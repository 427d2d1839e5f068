import { PathMapper } from "@sandbox/core";
import { describe, expect, it } from "vitest";
import { planTerminal } from "./local-terminal.js";

const mapper = new PathMapper([
  { virtualPath: "/mnt/user-data", hostPath: "/srv/t1/user-data", readOnly: false },
]);
const cwd = { virtualPath: "/mnt/user-data/workspace", hostPath: "/srv/t1/user-data/workspace" };
const context = {
  mapper,
  cwd,
  shell: "/bin/sh",
  env: { PATH: "/usr/bin:/bin" },
  tmpDir: "/srv/t1/home",
  hostPath: "/usr/bin:/bin",
};

describe("planTerminal", () => {
  it("runs the shell on the host in the workspace, rewriting a given command's virtual paths", () => {
    const plain = planTerminal(
      { command: "ls /mnt/user-data" },
      { ...context, isolation: { kind: "none" } },
    );
    expect(plain).toMatchObject({
      file: "/bin/sh",
      args: ["-c", "ls /srv/t1/user-data"],
      cwd: "/srv/t1/user-data/workspace",
    });
  });

  it("wraps bwrap, without --new-session, in script's private pseudo-terminal", () => {
    const plan = planTerminal(
      { command: undefined },
      {
        ...context,
        isolation: { kind: "bwrap", bwrap: "/usr/bin/bwrap", systemArgs: [], network: false },
      },
    );
    expect(plan.file).toMatch(/\/script$/);
    expect(plan.args.slice(0, 3)).toEqual(["-q", "-e", "-c"]);
    expect(plan.args[3]).toMatch(/^'\/usr\/bin\/bwrap' /);
    expect(plan.args[3]).not.toContain("--new-session");
    expect(plan.env.SHELL).toBe("/bin/sh");
  });

  it("says what is missing when script(1) is not installed", () => {
    expect(() =>
      planTerminal(
        { command: undefined },
        {
          ...context,
          hostPath: "/nonexistent",
          isolation: { kind: "bwrap", bwrap: "/usr/bin/bwrap", systemArgs: [], network: false },
        },
      ),
    ).toThrow(/needs script\(1\)/);
  });
});
