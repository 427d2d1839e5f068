import { posix } from "node:path";
import { SandboxError, type ShellBackend } from "@sandbox/core";
import type { SandboxTransport } from "../transports/transport.js";

// What Docker's archive API and the AIO file API give a file they create.
const TRANSPORT_FILE_MODE = 0o644;

/**
 * The {@link ShellBackend} of a sandbox container, over its transport: helper scripts through a
 * one-shot `docker exec` (or the AIO shell API), file bytes through Docker's archive API (or the
 * AIO file API). The transports bound their scripts themselves (output cap and deadline).
 *
 * @example
 * ```ts
 * const files = createShellFiles(mapper, transportShellBackend(new ExecTransport(container)));
 * ```
 */
export function transportShellBackend(transport: SandboxTransport): ShellBackend {
  return {
    async run(script, { stdin }) {
      // Never asked: bytes move through readBytes and writeBytes below.
      if (stdin !== undefined) {
        throw new SandboxError("IO_ERROR", "Container helper scripts take no standard input");
      }
      return transport.runScript(script, []);
    },
    readBytes: (path, { maxBytes }) => transport.readFile(path, maxBytes),
    async writeBytes(path, data, { mode }) {
      await transport.writeFile({ path, existingAncestor: posix.dirname(path), data });
      // The file APIs write 0644: put back the bits of the file this write replaced (a script
      // stays executable), as the host side does.
      if (mode !== undefined && mode !== TRANSPORT_FILE_MODE) {
        const changed = await transport.runScript('chmod "$1" "$2"', [mode.toString(8), path]);
        if (changed.exitCode !== 0) {
          throw new SandboxError("IO_ERROR", `Cannot restore the permissions of ${path}`, {
            path,
          });
        }
      }
    },
  };
}
