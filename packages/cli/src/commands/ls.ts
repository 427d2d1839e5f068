import type { SandboxInfo } from "@sandbox/core";
import type { ProviderFlags } from "../config/provider-flags.js";
import { resolveCliConfig, withProvider } from "../config/resolve-provider.js";
import type { CommandContext } from "../context.js";
import type { Colors } from "../output/colors.js";
import { formatAgo } from "../output/format-duration.js";
import { renderTable, type TableColumn } from "../output/table.js";
import { requireInventory } from "./inventory.js";

/** Flags of `sandbox ls`. */
export interface LsFlags extends ProviderFlags {
  json?: boolean;
}

/**
 * Colours a sandbox state: green when it is running for someone, grey when parked, red when
 * gone.
 */
export function styleState(state: SandboxInfo["state"], colors: Colors): string {
  if (state === "active") return colors.green(state);
  if (state === "warm") return colors.cyan(state);
  if (state === "dead") return colors.red(state);
  return colors.dim(state);
}

/** `key=value` pairs of a sandbox's provider-specific details, in key order. */
export function formatDetails(details: SandboxInfo["details"]): string {
  if (!details) return "";
  return Object.keys(details)
    .sort()
    .map((key) => `${key}=${String(details[key])}`)
    .join(" ");
}

/**
 * The columns `sandbox ls` prints: id, thread, user, state, age, last used, details.
 *
 * @example
 * ```ts
 * renderTable(sandboxColumns(colors, Date.now()), sandboxes);
 * ```
 */
export function sandboxColumns(colors: Colors, nowMs: number): TableColumn<SandboxInfo>[] {
  return [
    { header: "ID", cell: (info) => info.id },
    { header: "THREAD", cell: (info) => info.threadId ?? colors.dim("(generic)") },
    { header: "USER", cell: (info) => info.userId },
    { header: "STATE", cell: (info) => styleState(info.state, colors) },
    { header: "AGE", cell: (info) => formatAgo(info.createdAtMs, nowMs), alignRight: true },
    { header: "LAST USED", cell: (info) => formatAgo(info.lastUsedAtMs, nowMs), alignRight: true },
    { header: "DETAILS", cell: (info) => colors.dim(formatDetails(info.details)) },
  ];
}

/** Oldest first, so the table reads as a history. Ties break on the id for a stable order. */
export function sortSandboxes(sandboxes: SandboxInfo[]): SandboxInfo[] {
  return [...sandboxes].sort(
    (a, b) =>
      (a.createdAtMs ?? Number.POSITIVE_INFINITY) - (b.createdAtMs ?? Number.POSITIVE_INFINITY) ||
      a.id.localeCompare(b.id),
  );
}

/**
 * `sandbox ls`: every sandbox the provider can see, as a table or (`--json`) as the provider's
 * `SandboxInfo` objects.
 *
 * @example
 * ```ts
 * await runLs({ json: true }, context);
 * ```
 */
export async function runLs(flags: LsFlags, context: CommandContext): Promise<number> {
  const { io, out, err } = context;
  const config = await resolveCliConfig(flags, io);
  const sandboxes = await withProvider(config, async (provider) =>
    sortSandboxes(await requireInventory(provider, "list").list()),
  );
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(sandboxes, null, 2)}\n`);
    return 0;
  }
  if (sandboxes.length === 0) {
    io.stderr.write(err.dim("no sandboxes\n"));
    return 0;
  }
  io.stdout.write(renderTable(sandboxColumns(out, Date.now()), sandboxes, out.bold));
  return 0;
}
