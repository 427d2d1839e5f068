import type Docker from "dockerode";
import { runExec } from "../docker/exec-process.js";
import type { WaitStrategy } from "./wait-strategy.js";

/**
 * Ready once `/bin/sh -c true` runs in the container: what the `exec` transport needs, and it
 * holds for any image with a shell.
 */
export class ShellWaitStrategy implements WaitStrategy {
  readonly description = "`/bin/sh -c true` to succeed";
  readonly #docker: Docker;

  constructor(docker: Docker) {
    this.#docker = docker;
  }

  async probe(container: Docker.Container): Promise<boolean> {
    const result = await runExec(this.#docker, container, { cmd: ["/bin/sh", "-c", "true"] });
    return result.exitCode === 0;
  }
}
