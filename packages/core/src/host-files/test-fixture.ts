import { mkdir, mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { isSandboxError, type SandboxErrorCode } from "../errors/sandbox-error.js";
import { PathMapper } from "../paths/path-mapper.js";
import { createHostFiles, type HostFiles } from "./host-files.js";

/** A temp tree with a workspace, a read-only skills dir and a secret file outside both. */
export interface HostFilesFixture {
  dir: string;
  workspace: string;
  skills: string;
  outside: string;
  mapper: PathMapper;
  files: HostFiles;
  cleanup(): Promise<void>;
}

export const WS = "/mnt/user-data/workspace";

/** Builds a {@link HostFilesFixture} in a fresh temp dir (tests use real files). */
export async function createFixture(): Promise<HostFilesFixture> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), "host-files-")));
  const userData = join(dir, "user-data");
  const workspace = join(userData, "workspace");
  const skills = join(dir, "skills");
  const outside = join(dir, "outside");
  await Promise.all([workspace, skills, outside].map((d) => mkdir(d, { recursive: true })));
  const mapper = new PathMapper([
    { virtualPath: "/mnt/user-data", hostPath: userData, readOnly: false },
    { virtualPath: WS, hostPath: workspace, readOnly: false },
    { virtualPath: "/mnt/skills", hostPath: skills, readOnly: true },
  ]);
  return {
    dir,
    workspace,
    skills,
    outside,
    mapper,
    files: createHostFiles(mapper),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Expects `promise` to reject with a SandboxError of `code` whose message hides `hostDir`. */
export async function expectSandboxError(
  promise: Promise<unknown>,
  code: SandboxErrorCode,
  hostDir: string,
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isSandboxError(error), `expected a SandboxError ${code}, got ${String(error)}`).toBe(true);
  if (!isSandboxError(error)) return;
  expect(error.code).toBe(code);
  expect(error.message).not.toContain(hostDir);
}
