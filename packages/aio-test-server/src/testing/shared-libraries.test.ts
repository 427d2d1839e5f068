import { describe, expect, it } from "vitest";
import { parseLddOutput, sharedLibraries } from "./shared-libraries.js";

const LDD_NODE = `	linux-vdso.so.1 (0x00007ffd5a1f4000)
	libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f5325389000)
	libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f5325000000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f5324e1e000)
	/lib64/ld-linux-x86-64.so.2 (0x00007f53253a1000)
`;

describe("parseLddOutput", () => {
  it("lists libraries and the loader, skipping the vDSO", () => {
    expect(parseLddOutput(LDD_NODE)).toEqual([
      "/lib/x86_64-linux-gnu/libdl.so.2",
      "/lib/x86_64-linux-gnu/libstdc++.so.6",
      "/lib/x86_64-linux-gnu/libc.so.6",
      "/lib64/ld-linux-x86-64.so.2",
    ]);
  });

  it("fails on a missing library", () => {
    expect(() => parseLddOutput("\tlibfoo.so.1 => not found\n", "/bin/app")).toThrow(
      /needs libfoo\.so\.1/,
    );
  });
});

describe.runIf(process.platform === "linux")("sharedLibraries", () => {
  it("finds libc and the loader for this node binary", async () => {
    const libraries = await sharedLibraries(process.execPath);
    expect(libraries.some((path) => /\/libc\.so/.test(path))).toBe(true);
    expect(libraries.some((path) => /ld-linux/.test(path))).toBe(true);
  });
});
