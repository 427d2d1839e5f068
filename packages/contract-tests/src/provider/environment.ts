import { randomUUID } from "node:crypto";
import type { Sandbox, SandboxProvider } from "@sandbox/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProviderSuite } from "./provider-suite.js";

/**
 * Credentials as a harness really holds them: in names no deny-list of secret-looking words
 * catches (issue 10). Each value carries the suite's marker, so a leak is found wherever it
 * shows up.
 */
function plantedVariables(marker: string): Record<string, string> {
  return {
    DATABASE_URL: `postgres://agent:${marker}@db.internal:5432/app`,
    REDIS_URL: `redis://:${marker}@cache.internal:6379/0`,
    MONGODB_URI: `mongodb+srv://agent:${marker}@cluster.internal/app`,
    SENTRY_DSN: `https://${marker}@o1.ingest.sentry.io/1`,
    SLACK_WEBHOOK_URL: `https://hooks.slack.com/services/T0/B0/${marker}`,
    NPM_CONFIG__AUTH: marker,
    STRIPE_SK: `sk_live_${marker}`,
    SANDBOX_CONTRACT_PLANTED: marker,
  };
}

/**
 * Every way a command could read an environment: its own, its shell's parent's, PID 1's, and
 * every process it can see. Errors are silenced: a /proc the sandbox hides is fine, the test only
 * looks for the marker.
 */
const PROBES: Record<string, string> = {
  env: "env",
  "the shell's variables": "set",
  // `cat` opens the file itself: a redirect would be opened by the shell before it execs `tr`,
  // and an environ opened before exec reads empty afterwards.
  "/proc/self/environ": "cat /proc/self/environ | tr '\\0' '\\n'",
  "/proc/$PPID/environ": "cat /proc/$PPID/environ 2>/dev/null | tr '\\0' '\\n'",
  "/proc/1/environ": "cat /proc/1/environ 2>/dev/null | tr '\\0' '\\n'",
  "every visible process's environ":
    "for f in /proc/[0-9]*/environ; do cat \"$f\"; done 2>/dev/null | tr '\\0' '\\n'",
};

/**
 * Commands never see the provider process's environment: a credential planted in it before the
 * provider is created reaches no command, whichever way the command looks. A provider builds a
 * command's environment from an allow-list (plus what its operator names explicitly), never from
 * its own environment minus what looks secret.
 */
export function environmentTests(suite: ProviderSuite): void {
  const marker = `contract-secret-${randomUUID()}`;
  const planted = plantedVariables(marker);
  const saved = new Map<string, string | undefined>();
  let provider: SandboxProvider;
  let thread: Sandbox;
  let generic: Sandbox;

  beforeAll(async () => {
    for (const [name, value] of Object.entries(planted)) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
    // Created after planting: a provider that copies its environment at start-up is caught too.
    provider = await suite.createProvider();
    thread = await suite.sandbox("environment", { userId: "env-user" }, provider);
    generic = await suite.sandbox(undefined, undefined, provider);
  }, suite.timeoutMs);

  afterAll(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  for (const [what, command] of Object.entries(PROBES)) {
    it(`a credential in the provider's environment is not in ${what}`, async () => {
      for (const sandbox of [thread, generic]) {
        const result = await sandbox.exec(command);
        const output = `${result.stdout}\n${result.stderr}`;
        expect(result.exitCode, `${command}: ${output}`).toBe(0);
        expect(output.includes(marker), `${sandbox.id}: ${command} shows ${output}`).toBe(false);
      }
    });
  }

  it("the probes see a real environment: PATH is set and the call's env arrives", async () => {
    const result = await thread.exec(
      `cat /proc/self/environ | tr '\\0' '\\n' | grep -c '^PATH='; printf '%s' "$PROBE_VALUE"`,
      { env: { PROBE_VALUE: "from-the-call" } },
    );
    expect(result.stdout).toBe("1\nfrom-the-call");
  });

  it("a credential the call passes in env reaches only that call", async () => {
    const passed = await thread.exec('printf %s "$DATABASE_URL"', {
      env: { DATABASE_URL: "postgres://explicit" },
    });
    expect(passed.stdout).toBe("postgres://explicit");
    const next = await thread.exec('printf %s "${DATABASE_URL-unset}"');
    expect(next.stdout).toBe("unset");
  });
}
