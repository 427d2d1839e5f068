import { describe, expect, it } from "vitest";
import { bwrapArgs } from "./bwrap-args.js";
import { ETC_ALLOW_LIST, hostSystemArgs } from "./host-system.js";

const base = {
  systemArgs: ["--ro-bind", "/usr", "/usr"],
  mappings: [
    { virtualPath: "/mnt/user-data/workspace", hostPath: "/h/ud/workspace", readOnly: false },
    { virtualPath: "/mnt/skills", hostPath: "/h/skills", readOnly: true },
    { virtualPath: "/mnt/user-data", hostPath: "/h/ud", readOnly: false },
  ],
  network: false,
  cwd: "/mnt/user-data/workspace",
  shell: "/bin/sh",
  command: "echo hi",
};

function pairsAfter(args: string[], flag: string): string[][] {
  const found: string[][] = [];
  args.forEach((arg, index) => {
    if (arg === flag) found.push(args.slice(index + 1, index + 3));
  });
  return found;
}

describe("bwrapArgs", () => {
  it("binds mappings at their virtual paths, parents first, read-only ones read-only", () => {
    const args = bwrapArgs(base);
    expect(pairsAfter(args, "--bind")).toEqual([
      ["/h/ud", "/mnt/user-data"],
      ["/h/ud/workspace", "/mnt/user-data/workspace"],
    ]);
    expect(pairsAfter(args, "--ro-bind")).toEqual([
      ["/usr", "/usr"],
      ["/h/skills", "/mnt/skills"],
    ]);
    expect(args.indexOf("/mnt/user-data")).toBeLessThan(args.indexOf("/mnt/user-data/workspace"));
  });

  it("unshares everything, drops capabilities, and ends with chdir and the shell", () => {
    const args = bwrapArgs(base);
    for (const flag of ["--unshare-all", "--die-with-parent", "--new-session"]) {
      expect(args).toContain(flag);
    }
    expect(args.slice(args.indexOf("--cap-drop"), args.indexOf("--cap-drop") + 2)).toEqual([
      "--cap-drop",
      "ALL",
    ]);
    expect(args).not.toContain("--share-net");
    expect(args.slice(-7)).toEqual([
      "/",
      "--chdir",
      "/mnt/user-data/workspace",
      "--",
      "/bin/sh",
      "-c",
      "echo hi",
    ]);
    expect(args.at(-8)).toBe("--remount-ro");
  });

  it("binds the sandbox's own /tmp when given, and keeps /var/tmp a tmpfs", () => {
    const args = bwrapArgs({ ...base, tmpDir: "/h/tmp" });
    expect(pairsAfter(args, "--bind")[0]).toEqual(["/h/tmp", "/tmp"]);
    expect(pairsAfter(args, "--tmpfs").map(([path]) => path)).toEqual(["/var/tmp"]);
    expect(pairsAfter(bwrapArgs(base), "--tmpfs").map(([path]) => path)).toEqual([
      "/tmp",
      "/var/tmp",
    ]);
  });

  it("shares the network only when asked", () => {
    expect(bwrapArgs({ ...base, network: true })).toContain("--share-net");
  });

  it("passes the command as one argument, untouched", () => {
    const command = `echo "$HOME" '; rm -rf /' && cat /mnt/user-data/x`;
    expect(bwrapArgs({ ...base, command }).at(-1)).toBe(command);
  });
});

describe("hostSystemArgs", () => {
  it("shows /usr read-only and only allow-listed /etc entries, never shadow", () => {
    const args = hostSystemArgs();
    expect(args.slice(0, 3)).toEqual(["--ro-bind", "/usr", "/usr"]);
    const etc = pairsAfter(args, "--ro-bind-try").map(([source]) => source);
    expect(etc).toEqual(ETC_ALLOW_LIST.map((entry) => `/etc/${entry}`));
    expect(args.join(" ")).not.toMatch(/shadow|sudoers|\/etc\/ssh|\/root|\/home/);
  });
  it("starts a new session unless an interactive terminal turns it off", () => {
    expect(bwrapArgs(base)).toContain("--new-session");
    expect(bwrapArgs({ ...base, newSession: true })).toContain("--new-session");
    expect(bwrapArgs({ ...base, newSession: false })).not.toContain("--new-session");
  });
});
