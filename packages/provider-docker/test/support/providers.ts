import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import {
  createDockerProvider,
  type DockerProviderOptionsInput,
  type DockerSandboxProvider,
} from "../../src/index.js";
import { BUSYBOX_TEST_IMAGE, docker, removeContainersOf } from "./docker-env.js";

/** A temporary directory removed after the file's tests. */
export async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `pd-${label}-`));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Warnings a provider logged, for assertions. */
export function captureLogger(): { warn(message: string): void; warnings: string[] } {
  const warnings: string[] = [];
  return { warn: (message) => warnings.push(message), warnings };
}

/**
 * Providers made in one test file: all under one prefix and base directory, all shut down and
 * every container of the prefix removed after the file.
 */
export function providerFactory(prefix: string, baseDir: () => string) {
  const made: DockerSandboxProvider[] = [];
  afterAll(async () => {
    await Promise.allSettled(made.map((provider) => provider.shutdown()));
    await removeContainersOf(prefix);
  });
  return async (options: Partial<DockerProviderOptionsInput> = {}) => {
    const provider = await createDockerProvider(
      { image: BUSYBOX_TEST_IMAGE, containerPrefix: prefix, ...options },
      { baseDir: baseDir() },
    );
    made.push(provider);
    return provider;
  };
}

/** The container behind a sandbox: its id and when it last started. */
export async function containerOf(
  prefix: string,
  sandboxId: string,
): Promise<{ id: string; startedAt: string; running: boolean } | undefined> {
  try {
    const info = await docker.getContainer(`${prefix}-${sandboxId}`).inspect();
    return { id: info.Id, startedAt: info.State.StartedAt, running: info.State.Running };
  } catch {
    return undefined;
  }
}
