/**
 * `@sandbox/aio-test-server/testing`: Docker helpers for test suites. Builds the two local test
 * images from host binaries (no registry needed) and tells whether a Docker engine is there.
 *
 * @example
 * ```ts
 * // vitest globalSetup of a package whose tests need Docker
 * export { setupDockerTestImages as setup } from "@sandbox/aio-test-server/testing";
 * ```
 */
import { Readable } from "node:stream";
import { withBuildLock } from "./build-lock.js";
import { docker, dockerAvailable } from "./docker-cli.js";
import { tarStream } from "./tar-writer.js";
import {
  AIO_TEST_IMAGE,
  AIO_TEST_PORT,
  aioImage,
  BUSYBOX_TEST_IMAGE,
  busyboxImage,
  defaultServerBundle,
  type ImageDefinition,
  INPUTS_HASH_LABEL,
  SANDBOX_USER,
} from "./test-images.js";

export { docker, dockerAvailable } from "./docker-cli.js";
export { AIO_TEST_IMAGE, AIO_TEST_PORT, BUSYBOX_TEST_IMAGE, INPUTS_HASH_LABEL, SANDBOX_USER };

/** Options of {@link ensureTestImages}. */
export interface EnsureTestImagesOptions {
  /** Rebuild even when the inputs hash matches. */
  force?: boolean;
  /** Bundled server to put in the AIO image. Default: this package's `dist/image/aio-server.cjs`. */
  serverBundle?: string;
  /** Progress lines (one per image). Default: silent. */
  log?: (line: string) => void;
}

/** What {@link ensureTestImages} did for one image. */
export interface TestImageResult {
  /** Image tag, e.g. `sandbox-test/aio:latest`. */
  name: string;
  /** Image id after the call. */
  id: string;
  /** SHA-256 of the image's inputs (stored in the {@link INPUTS_HASH_LABEL} label). */
  inputsHash: string;
  /** False when the existing image already had the same inputs. */
  built: boolean;
  durationMs: number;
}

/**
 * Make sure both test images exist and are current: `sandbox-test/busybox:latest` and
 * `sandbox-test/aio:latest`. An image is rebuilt only when its inputs (host busybox, node and
 * its libraries, the server bundle, the image config) changed, so repeated calls take about as
 * long as hashing the node binary. Safe to call from parallel test processes.
 *
 * @example
 * ```ts
 * const [busybox, aio] = await ensureTestImages({ log: console.log });
 * busybox.name; // "sandbox-test/busybox:latest"
 * ```
 */
export async function ensureTestImages(
  options: EnsureTestImagesOptions = {},
): Promise<TestImageResult[]> {
  const serverBundle = options.serverBundle ?? (await defaultServerBundle());
  const definitions = [await busyboxImage(), await aioImage({ serverBundle })];
  return withBuildLock(async () => {
    const results: TestImageResult[] = [];
    for (const definition of definitions) results.push(await ensureImage(definition, options));
    return results;
  });
}

async function ensureImage(
  image: ImageDefinition,
  options: EnsureTestImagesOptions,
): Promise<TestImageResult> {
  const started = Date.now();
  const inputsHash = await image.rootfs.inputsHash(JSON.stringify(image.changes));
  const current = await inspectImage(image.name);
  if (!options.force && current?.inputsHash === inputsHash) {
    options.log?.(`${image.name}: up to date (${inputsHash.slice(0, 12)})`);
    return {
      name: image.name,
      id: current.id,
      inputsHash,
      built: false,
      durationMs: Date.now() - started,
    };
  }

  // `docker import` turns a root file system into a one-layer image, exactly like `FROM scratch`
  // plus `COPY`, but needs no build context on disk and no BuildKit: the tar is streamed.
  const changes = [...image.changes, `LABEL ${INPUTS_HASH_LABEL}=${inputsHash}`];
  const result = await docker(
    ["import", ...changes.flatMap((change) => ["--change", change]), "-", image.name],
    { stdin: Readable.from(tarStream(image.rootfs.entries())) },
  );
  if (result.code !== 0) {
    throw new Error(
      `docker import ${image.name} failed (exit ${result.code}): ${result.stderr.trim()}`,
    );
  }
  const id = result.stdout.trim();
  // The old image lost its tag; drop it unless a container still uses it (then rmi just fails).
  if (current && current.id !== id) await docker(["rmi", current.id]);
  const durationMs = Date.now() - started;
  options.log?.(`${image.name}: built ${id.slice(7, 19)} in ${durationMs} ms`);
  return { name: image.name, id, inputsHash, built: true, durationMs };
}

async function inspectImage(name: string): Promise<{ id: string; inputsHash: string } | undefined> {
  const { code, stdout } = await docker([
    "image",
    "inspect",
    "--format",
    `{{.Id}} {{index .Config.Labels "${INPUTS_HASH_LABEL}"}}`,
    name,
  ]);
  if (code !== 0) return undefined;
  const [id = "", inputsHash = ""] = stdout.trim().split(" ");
  return { id, inputsHash };
}

/**
 * True when Docker-backed tests must run rather than be skipped: in CI (`CI` set and not
 * `false`/`0`) always, and elsewhere with `SANDBOX_DOCKER_TESTS=1`. `SANDBOX_DOCKER_TESTS=0` is a
 * developer's opt-out and means nothing under CI: a CI run without Docker fails loudly instead of
 * passing having tested nothing (docs/testing.md).
 */
export function dockerTestsRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.CI && env.CI !== "false" && env.CI !== "0") return true;
  return env.SANDBOX_DOCKER_TESTS === "1";
}

/**
 * A vitest `globalSetup`: builds the test images when Docker answers. Without Docker it throws
 * when {@link dockerTestsRequired} (with the command that fixes it), and otherwise only warns,
 * leaving the suites to skip themselves with `describe.skipIf(!(await dockerAvailable()))`.
 *
 * @example
 * ```ts
 * // packages/provider-docker/vitest.config.ts
 * export default packageTestConfig({ globalSetup: ["./test/global-setup.ts"] });
 * // packages/provider-docker/test/global-setup.ts
 * export { setupDockerTestImages as setup } from "@sandbox/aio-test-server/testing";
 * ```
 */
export async function setupDockerTestImages(): Promise<void> {
  if (!(await dockerAvailable())) {
    const hint = "start one with `bash scripts/docker/ensure-docker.sh` (as root)";
    if (dockerTestsRequired()) {
      throw new Error(
        `Docker tests are required here (CI or SANDBOX_DOCKER_TESTS=1) but no Docker engine answers: ${hint}`,
      );
    }
    console.warn(`[aio-test-server] No Docker engine: Docker tests will be skipped; ${hint}.`);
    return;
  }
  await ensureTestImages({ log: (line) => console.log(`[aio-test-server] ${line}`) });
}
