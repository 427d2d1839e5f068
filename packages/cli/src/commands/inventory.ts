import { SandboxError, type SandboxInfo, type SandboxProvider } from "@sandbox/core";

/** A provider that can list and destroy its sandboxes. */
export type InventoryProvider = SandboxProvider &
  Required<Pick<SandboxProvider, "list" | "destroy">>;

/**
 * The provider's inventory, or a clear error when it has none: `list` and `destroy` are optional
 * in the contract, and a third-party provider may not implement them.
 *
 * @throws {SandboxError} `PROVIDER_UNAVAILABLE` naming the provider and the missing method.
 * @example
 * ```ts
 * const sandboxes = await requireInventory(provider, "list").list();
 * ```
 */
export function requireInventory(
  provider: SandboxProvider,
  needs: "list" | "destroy" | "both",
): InventoryProvider {
  const missing = (["list", "destroy"] as const).filter(
    (method) => (needs === "both" || needs === method) && typeof provider[method] !== "function",
  );
  if (missing.length > 0) {
    throw new SandboxError(
      "PROVIDER_UNAVAILABLE",
      `Provider "${provider.name}" has no sandbox inventory (no ${missing.join("() or ")}())`,
      { hint: "Its author can add the optional list() and destroy() methods of SandboxProvider" },
    );
  }
  return provider as InventoryProvider;
}

/**
 * The sandbox of one (user, thread), found through the inventory.
 *
 * @example
 * ```ts
 * const info = findThreadSandbox(await provider.list(), "t1", "alice");
 * ```
 */
export function findThreadSandbox(
  sandboxes: SandboxInfo[],
  threadId: string,
  userId: string,
): SandboxInfo | undefined {
  return sandboxes.find((info) => info.threadId === threadId && info.userId === userId);
}
