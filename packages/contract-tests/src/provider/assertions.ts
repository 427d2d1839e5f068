import { inspect } from "node:util";
import {
  isSandboxError,
  SANDBOX_ERROR_CODES,
  type SandboxError,
  type SandboxErrorCode,
} from "@sandbox/core";
import { expect } from "vitest";
import type { ProviderSuite } from "./provider-suite.js";

function shown(value: unknown): string {
  return inspect(value, { depth: 2, breakLength: Number.POSITIVE_INFINITY });
}

/** Fails when `text` contains any host spelling of the suite's temporary directories. */
export function expectNoHostPath(suite: ProviderSuite, text: string, where: string): void {
  for (const prefix of suite.hostPrefixes) {
    expect(text.includes(prefix), `${where} leaks the host path ${prefix}: ${shown(text)}`).toBe(
      false,
    );
  }
}

/** Any code at all: for failures whose code the contract leaves open. */
export const ANY_CODE: readonly SandboxErrorCode[] = SANDBOX_ERROR_CODES;

/**
 * Runs `action`, expects it to fail with a {@link SandboxError} carrying `code` (or one of the
 * codes), and checks that nothing the error shows (message, path, hint) names a host path.
 */
export async function expectSandboxError(
  suite: ProviderSuite,
  where: string,
  code: SandboxErrorCode | readonly SandboxErrorCode[],
  action: () => unknown,
): Promise<SandboxError> {
  const codes: SandboxErrorCode[] = typeof code === "string" ? [code] : [...code];
  const wanted = codes.length === 1 ? String(codes[0]) : `one of ${codes.join(", ")}`;
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await action() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  if (outcome.ok) {
    expect.fail(
      `${where}: expected SandboxError ${wanted}, but it succeeded with ${shown(outcome.value)}`,
    );
  }
  const { error } = outcome;
  expect(
    isSandboxError(error, ...codes),
    `${where}: expected SandboxError ${wanted}, got ${shown(error)}`,
  ).toBe(true);
  const sandboxError = error as SandboxError;
  const visible = [sandboxError.message, sandboxError.path ?? "", sandboxError.hint ?? ""].join(
    "\n",
  );
  expectNoHostPath(suite, visible, `${where} (${sandboxError.code} error)`);
  return sandboxError;
}

/** The text a command printed on either stream, for leak checks. */
export function outputOf(result: { stdout: string; stderr: string }): string {
  return `${result.stdout}\n${result.stderr}`;
}
