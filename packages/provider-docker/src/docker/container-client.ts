import { SandboxError } from "@sandbox/core";
import type Docker from "dockerode";
import { LABELS, prefixFilter } from "../naming/labels.js";
import { isolatedNetworkName, isolatedNetworkSpec } from "./container-spec.js";
import {
  dockerMessageOf,
  isDockerConflict,
  isDockerNotFound,
  toDockerError,
} from "./docker-errors.js";

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
  #networkReady: Promise<void> | undefined;

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
   * process created it first, and Docker's name uniqueness made this call the loser. A container
   * on the prefix's isolated network gets that network created first (and again, should a
   * peer's shutdown have removed it in between).
   */
  async create(
    name: string,
    spec: Docker.ContainerCreateOptions,
    labels: Record<string, string>,
  ): Promise<Docker.Container | undefined> {
    const prefix = labels[LABELS.prefix];
    const managed =
      prefix !== undefined && spec.HostConfig?.NetworkMode === isolatedNetworkName(prefix);
    if (managed) await this.ensureIsolatedNetwork(prefix);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.docker.createContainer({ ...spec, name, Labels: labels });
      } catch (error) {
        if (isDockerConflict(error)) return undefined;
        const message = dockerMessageOf(error);
        if (isDockerNotFound(error) && /network/i.test(message)) {
          if (managed && attempt === 0) {
            this.#networkReady = undefined;
            await this.ensureIsolatedNetwork(prefix);
            continue;
          }
          throw new SandboxError(
            "CONFIG_INVALID",
            `Docker network ${spec.HostConfig?.NetworkMode} does not exist`,
            {
              cause: error,
              hint: "Create it, or leave `dockerNetwork` unset for the provider's isolated bridge",
            },
          );
        }
        if (isDockerNotFound(error)) {
          throw new SandboxError("CONFIG_INVALID", `Image ${spec.Image} is not present`, {
            cause: error,
          });
        }
        if (spec.HostConfig?.StorageOpt && /storage.?opt|quota/i.test(message)) {
          throw new SandboxError(
            "CONFIG_INVALID",
            `This Docker storage driver cannot limit a container's size (storageSize): ${message}`,
            {
              cause: error,
              hint: "Unset storageSize; it needs overlay2 on xfs with pquota, btrfs or zfs",
            },
          );
        }
        throw toDockerError(error, "create the sandbox container", this.#mask);
      }
    }
  }

  /**
   * Makes sure the prefix's isolated network exists (once per provider): a bridge with
   * inter-container traffic disabled, labelled like the containers. A peer creating it at the
   * same moment is fine.
   */
  ensureIsolatedNetwork(prefix: string): Promise<void> {
    this.#networkReady ??= this.#ensureIsolatedNetwork(prefix).catch((error: unknown) => {
      this.#networkReady = undefined;
      throw error;
    });
    return this.#networkReady;
  }

  async #ensureIsolatedNetwork(prefix: string): Promise<void> {
    const name = isolatedNetworkName(prefix);
    try {
      await this.docker.getNetwork(name).inspect();
      return;
    } catch (error) {
      if (!isDockerNotFound(error)) throw toDockerError(error, `inspect network ${name}`);
    }
    try {
      await this.docker.createNetwork(isolatedNetworkSpec(prefix));
    } catch (error) {
      // 409: a peer created it first (CheckDuplicate); that network is the one we want.
      if (isDockerConflict(error)) return;
      throw toDockerError(error, `create network ${name}`);
    }
  }

  /**
   * Removes the prefix's isolated network when no container uses it any more (shutdown). A
   * network still in use (a peer's containers) or already gone is left as it is.
   */
  async removeIsolatedNetworkIfUnused(prefix: string): Promise<void> {
    this.#networkReady = undefined;
    const network = this.docker.getNetwork(isolatedNetworkName(prefix));
    try {
      const info = (await network.inspect()) as { Containers?: Record<string, unknown> };
      if (Object.keys(info.Containers ?? {}).length > 0) return;
      await network.remove();
    } catch {
      // In use (403/409), gone (404) or the daemon is down: nothing to clean up now.
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
