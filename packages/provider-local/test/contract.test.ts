import { describeSandboxProvider } from "@sandbox/contract-tests";
import { describe, it } from "vitest";
import { createLocalProvider } from "../src/index.js";
import { bwrapTestMode } from "./bwrap-availability.js";

// Pinned: the exact capabilities and the exact tests the suite skips. A flag flipped off would
// otherwise turn its tests into silent skips; here it fails the run, naming the difference.
describeSandboxProvider("local (isolation: none)", {
  create: ({ baseDir, skillsDir }) => createLocalProvider({ skillsDir }, { baseDir }),
  pinned: {
    capabilities: {
      isolatedExec: false,
      streaming: true,
      persistentIds: true,
      readOnlyMounts: true,
    },
    skips: [
      "isolation > B's commands cannot follow that symlink either (capabilities.isolatedExec)",
      "path-safety > stops commands writing under /mnt/skills (capabilities.isolatedExec + readOnlyMounts)",
    ],
  },
});

const bwrap = bwrapTestMode();
if (bwrap.run) {
  describeSandboxProvider("local (isolation: bwrap)", {
    create: ({ baseDir, skillsDir }) =>
      createLocalProvider({ skillsDir, isolation: "bwrap" }, { baseDir }),
    pinned: {
      capabilities: {
        isolatedExec: true,
        streaming: true,
        persistentIds: true,
        readOnlyMounts: true,
      },
      skips: [],
    },
  });
} else {
  describe("local (isolation: bwrap): sandbox provider contract", () => {
    it.skip(`skipped: ${bwrap.reason}`, () => {});
  });
}
