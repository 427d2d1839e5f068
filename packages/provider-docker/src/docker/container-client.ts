import { SandboxError } from "@sandbox/core";
import type Docker from "dockerode";
import { prefixFilter } from "../naming/labels.js";
import { isDockerConflict, isDockerNotFound, toDockerError } from "./docker-errors.js";

/** When to pull the image. */
export type PullPolicy = "missing" | "always" | "never";

/**
 * The Docker calls the provider makes about whole containers, in one place: find by name,
 * create by name (a lost name race is an answer, not an error), start, remove, list by label.
 * `mask` hides host paths in the daemon's error messages.
 */
export class ContainerClient {
  readonly docker: Docker;
  readonly #mask: (text: string) => string;
  #imageReady: Promise<void> | undefined;

  constructor(docker: Docker, mask: (text: string) => string) {
    this.docker = docker;
    this.#mask = mask;
  }

  /** Makes sure the image is present, pulling it per the policy (once per provider). */
  ensureImage(image: string, policy: PullPolicy): Promise<void> {
    this.#imageReady ??= this.#ensureImage(image, policy).catch((error: unknown) => {
      this.#imageReady = undefined;
      throw error;
    });
    return this.#imageReady;
  }

  async #ensureImage(image: string, policy: PullPolicy): Promise<void> {
    if (policy !== "always") {
      try {
        await this.docker.getImage(image).inspect();
        return;
      } catch (error) {
        if (!isDockerNotFound(error)) throw toDockerError(error, `inspect image ${image}`);
        if (policy === "never") {
          throw new SandboxError(
            "CONFIG_INVALID",
            `Image ${image} is not present and pull is "never"`,
            {
              hint: `docker pull ${image}, or set pull to "missing"`,
            },
          );
        }
      }
    }
    try {
      const stream = await this.docker.pull(image);
      await new Promise<void>((resolve, reject) => {
        this.docker.modem.followProgress(stream, (error: Error | null) =>
          error ? reject(error) : resolve(),
        );
      });
    } catch (error) {
      const failure = toDockerError(error, `pull image ${image}`);
      if (failure.code === "PROVIDER_UNAVAILABLE") throw failure;
      throw new SandboxError("CONFIG_INVALID", `Cannot pull image ${image}: ${failure.message}`, {
        cause: error,
      });
    }
  }

  /** The container with this name, or `undefined`. */
  async inspectByName(name: string): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      return await this.docker.getContainer(name).inspect();
    } catch (error) {
      if (isDockerNotFound(error)) return undefined;
      throw toDockerError(error, `inspect container ${name}`, this.#mask);
    }
  }

  /**
   * Creates a container under `name`. Returns `undefined` when the name is taken: another
   * process created it first, and Docker's name uniqueness made this call the loser.
   */
  async create(
    name: string,
    spec: Docker.ContainerCreateOptions,
    labels: Record<string, string>,
  ): Promise<Docker.Container | undefined> {
    try {
      return await this.docker.createContainer({ ...spec, name, Labels: labels });
    } catch (error) {
      if (isDockerConflict(error)) return undefined;
      if (isDockerNotFound(error)) {
        throw new SandboxError("CONFIG_INVALID", `Image ${spec.Image} is not present`, {
          cause: error,
        });
      }
      throw toDockerError(error, "create the sandbox container", this.#mask);
    }
  }

  async start(container: Docker.Container): Promise<void> {
    try {
      await container.start();
    } catch (error) {
      // 304: already started (a peer got there first); fine.
      if ((error as { statusCode?: number }).statusCode === 304) return;
      throw toDockerError(error, "start the sandbox container", this.#mask);
    }
  }

  /** Removes a container by id, killing it if it runs. A container already gone is fine. */
  async remove(containerId: string): Promise<void> {
    try {
      await this.docker.getContainer(containerId).remove({ force: true, v: true });
    } catch (error) {
      if (isDockerNotFound(error)) return;
      // 409: removal already in progress (another remover); it will be gone shortly.
      if (isDockerConflict(error)) return;
      throw toDockerError(error, "remove the sandbox container", this.#mask);
    }
  }

  /** Every container (running or not) of one provider prefix. */
  async listByPrefix(prefix: string): Promise<Docker.ContainerInfo[]> {
    try {
      return await this.docker.listContainers({ all: true, filters: prefixFilter(prefix) });
    } catch (error) {
      throw toDockerError(error, "list sandbox containers", this.#mask);
    }
  }
}
