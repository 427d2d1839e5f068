import { access, constants, readFile } from "node:fs/promises";
import { arch, release } from "node:os";
import { delimiter, join } from "node:path";
import { json } from "../http/reply.js";
import type { Router } from "../http/router.js";
import type { SandboxResponse, ToolCategory } from "../schemas/sandbox.js";
import type { ServerContext } from "../server-context.js";

/** The version of the AIO API whose shapes this server follows. */
export const AIO_API_VERSION = "1.9.4";

/** Tools reported in `detail.utils` when they are on PATH, by category. */
const KNOWN_TOOLS: Record<string, Record<string, string>> = {
  shell: { sh: "POSIX shell", bash: "Bourne-again shell", busybox: "BusyBox multi-call binary" },
  files: {
    ls: "List directory contents",
    find: "Search for files",
    grep: "Search text",
    sed: "Stream editor",
    tar: "Archive files",
  },
  runtime: { node: "Node.js runtime" },
};

/**
 * `GET /v1/sandbox`: readiness and environment facts. Cheap on purpose (a few `access` calls and
 * one read of /proc), because providers poll it while a container starts.
 */
export function registerSandboxRoutes(router: Router, ctx: ServerContext): void {
  router.add("GET", "/v1/sandbox", async () => {
    const body: SandboxResponse = {
      success: true,
      message: "Operation successful",
      data: null,
      hint: null,
      home_dir: ctx.homeDir,
      workspace: ctx.workspace,
      version: AIO_API_VERSION,
      detail: {
        system: {
          os: process.platform,
          os_version: release(),
          arch: arch() === "x64" ? "x86_64" : arch() === "arm64" ? "aarch64" : arch(),
          user: ctx.user,
          home_dir: ctx.homeDir,
          workspace: ctx.workspace,
          timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          occupied_ports: await listeningPorts(),
        },
        runtime: {
          python: [],
          nodejs: [{ ver: process.version.slice(1), bin: process.execPath, alias: ["node"] }],
        },
        utils: await availableTools(),
      },
    };
    return json(body);
  });
}

async function availableTools(): Promise<ToolCategory[]> {
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  const categories: ToolCategory[] = [];
  for (const [category, tools] of Object.entries(KNOWN_TOOLS)) {
    const present = [];
    for (const [name, description] of Object.entries(tools)) {
      if (await onPath(name, dirs)) present.push({ name, description });
    }
    if (present.length > 0) categories.push({ category, tools: present });
  }
  return categories;
}

async function onPath(name: string, dirs: string[]): Promise<boolean> {
  for (const dir of dirs) {
    try {
      await access(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** TCP ports in LISTEN state, from /proc/net/tcp{,6}; empty where /proc is not Linux's. */
async function listeningPorts(): Promise<string[]> {
  const ports = new Set<number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(table, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // Field 1 is local "address:port" in hex, field 3 the state; 0A is LISTEN.
      if (fields[3] !== "0A") continue;
      const port = Number.parseInt(fields[1]?.split(":")[1] ?? "", 16);
      if (Number.isFinite(port)) ports.add(port);
    }
  }
  return [...ports].sort((a, b) => a - b).map(String);
}
