import type { TerminalAttachment } from "./terminal.js";

/**
 * What a provider supports, so the contract suite (and callers) know what to expect.
 *
 * @example
 * ```ts
 * const capabilities: ProviderCapabilities = {
 *   isolatedExec: true, streaming: true, persistentIds: true, readOnlyMounts: true,
 * };
 * ```
 */
export interface ProviderCapabilities {
  /**
   * Commands run where only the mapped paths exist (a mount namespace or a container), so a
   * command cannot read the host. False for plain host execution.
   */
  isolatedExec: boolean;
  /** `onStdout` / `onStderr` receive output before the command ends. */
  streaming: boolean;
  /** The same (user, thread) gets the same sandbox id from a new provider instance or process. */
  persistentIds: boolean;
  /** Read-only mappings (the skills directory, read-only custom mounts) are enforced. */
  readOnlyMounts: boolean;
  /**
   * The ways `Sandbox.openTerminal` can attach (see {@link TerminalAttachment}); absent or empty
   * when sandboxes have no interactive terminal. The contract suite tests each one listed.
   */
  terminal?: readonly TerminalAttachment[];
}
