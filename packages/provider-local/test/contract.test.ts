import { describeSandboxProvider } from "@sandbox/contract-tests";
import { describe, it } from "vitest";
import { createLocalProvider } from "../src/index.js";
import { bwrapTestMode } from "./bwrap-availability.js";

// Local sandboxes attach the caller's own terminal; there is no pseudo-terminal to stream.
const LOCAL_TERMINAL_SKIPS = [
  "terminal > stream: runs in the workspace at the given size and reports the exit status (capabilities.terminal stream)",
  "terminal > stream: keys reach the program, Ctrl-C interrupts it (capabilities.terminal stream)",
];

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
      terminal: ["inherit"],
    },
    skips: [
      "isolation > B's commands cannot follow that symlink either (capabilities.isolatedExec)",
      "path-safety > stops commands writing under /mnt/skills (capabilities.isolatedExec + readOnlyMounts)",
      ...LOCAL_TERMINAL_SKIPS,
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
        terminal: ["inherit"],
      },
      skips: [...LOCAL_TERMINAL_SKIPS],
    },
  });
} else {
  describe("local (isolation: bwrap): sandbox provider contract", () => {
    it.skip(`skipped: ${bwrap.reason}`, () => {});
  });
}
