import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

interface JsonReport {
  testResults: Array<{ assertionResults: Array<{ fullName: string; status: string }> }>;
}

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

// Runs test/fixtures/broken-providers.contract.ts in a child vitest and returns each test's status.
async function runBrokenProviders(): Promise<Map<string, string>> {
  const vitest = join(
    dirname(createRequire(import.meta.url).resolve("vitest/package.json")),
    "vitest.mjs",
  );
  const out = await mkdtemp(join(tmpdir(), "suite-catches-bugs-"));
  try {
    const report = join(out, "report.json");
    const args = [vitest, "run", "--config", "test/fixtures/vitest.config.ts"];
    args.push("--reporter=json", `--outputFile=${report}`);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: packageRoot, stdio: "ignore" });
      child.once("error", reject);
      child.once("close", () => resolve());
    });
    const parsed = JSON.parse(await readFile(report, "utf8")) as JsonReport;
    const statuses = new Map<string, string>();
    for (const file of parsed.testResults) {
      for (const test of file.assertionResults) statuses.set(test.fullName, test.status);
    }
    return statuses;
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

// Tests each broken provider must fail. The first two break one rule each, so those are the only
// failures allowed: the suite blames the rule that was broken, not its neighbours.
const MUST_FAIL: Record<string, { tests: string[]; only: boolean }> = {
  "forgets-shutdown": {
    only: true,
    tests: [
      "lifecycle shutdown ends a command that is still running, with its whole process tree",
      "lifecycle shutdown is idempotent; afterwards acquire rejects SHUT_DOWN, get is undefined, release does nothing",
    ],
  },
  "touches-disk-before-validating": {
    only: true,
    tests: [
      "ids rejects bad thread ids with INVALID_ID and touches nothing on disk",
      "ids rejects bad user ids with INVALID_ID, with or without a thread, and touches nothing on disk",
    ],
  },
  "follows-symlinks": {
    only: false,
    tests: [
      "isolation a relative symlink B's command makes to A's host directory is refused by every file call",
      "path-safety refuses a symlink made by a command that points at /etc",
      "path-safety refuses a symlink made by a command that points at another thread's directory",
    ],
  },
  "leaks-host-paths-in-errors": {
    only: false,
    tests: [
      "files reading, listing or replacing a missing path fails with NOT_FOUND",
      "path-safety refuses paths under no mapping",
    ],
  },
  // A deny-list of secret-looking names lets DATABASE_URL, SENTRY_DSN and the like through.
  "passes-host-environment": {
    only: false,
    tests: [
      "environment a credential in the provider's environment is not in env",
      "environment a credential in the provider's environment is not in /proc/self/environ",
      "environment a credential the call passes in env reaches only that call",
    ],
  },
};

it("fails broken providers on the rules they break", async () => {
  const statuses = await runBrokenProviders();
  for (const [provider, { tests, only }] of Object.entries(MUST_FAIL)) {
    const prefix = `${provider}: sandbox provider contract `;
    const mine = [...statuses].filter(([name]) => name.startsWith(prefix));
    expect(
      mine.some(([, status]) => status === "passed"),
      `${provider} ran and passed what it keeps`,
    ).toBe(true);
    for (const test of tests) expect(statuses.get(prefix + test), prefix + test).toBe("failed");
    if (only) {
      const failed = mine.filter(([, status]) => status === "failed").map(([name]) => name);
      expect(failed.sort()).toEqual(tests.map((test) => prefix + test).sort());
    }
  }
}, 120_000);
