import { describeSandboxProvider } from "@sandbox/contract-tests";
import { describe, it } from "vitest";
import { createLocalProvider } from "../src/index.js";
import { bwrapTestMode } from "./bwrap-availability.js";

describeSandboxProvider("local (isolation: none)", {
  create: ({ baseDir, skillsDir }) => createLocalProvider({ baseDir, skillsDir }),
});

const bwrap = bwrapTestMode();
if (bwrap.run) {
  describeSandboxProvider("local (isolation: bwrap)", {
    create: ({ baseDir, skillsDir }) =>
      createLocalProvider({ baseDir, skillsDir, isolation: "bwrap" }),
  });
} else {
  describe("local (isolation: bwrap): sandbox provider contract", () => {
    it.skip(`skipped: ${bwrap.reason}`, () => {});
  });
}
