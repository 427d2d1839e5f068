import { z } from "zod";

/** `AvailableTool`: a command-line tool present in the sandbox. */
export const AvailableTool = z.object({
  name: z.string(),
  description: z.string().nullable().default(""),
});
export type AvailableTool = z.output<typeof AvailableTool>;

/** `ToolCategory`: tools grouped by capability. */
export const ToolCategory = z.object({
  category: z.string(),
  tools: z.array(AvailableTool),
});
export type ToolCategory = z.output<typeof ToolCategory>;

/** `ToolSpec`: one runtime (version, binary, aliases). */
export const ToolSpec = z.object({
  ver: z.string().nullish(),
  bin: z.string().nullish(),
  alias: z.array(z.string()).optional(),
});
export type ToolSpec = z.output<typeof ToolSpec>;

/** `RuntimeEnv`: the language runtimes installed in the sandbox. */
export const RuntimeEnv = z.object({
  python: z.array(ToolSpec),
  nodejs: z.array(ToolSpec),
});
export type RuntimeEnv = z.output<typeof RuntimeEnv>;

/** `SystemEnv`: operating system facts of the sandbox. */
export const SystemEnv = z.object({
  os: z.string(),
  os_version: z.string(),
  arch: z.string(),
  user: z.string(),
  home_dir: z.string(),
  workspace: z.string().nullish(),
  timezone: z.string(),
  occupied_ports: z.array(z.string()),
});
export type SystemEnv = z.output<typeof SystemEnv>;

/** `SandboxDetail`: system, runtimes and tools. */
export const SandboxDetail = z.object({
  system: SystemEnv,
  runtime: RuntimeEnv,
  utils: z.array(ToolCategory),
});
export type SandboxDetail = z.output<typeof SandboxDetail>;

/**
 * `SandboxResponse`: the answer of `GET /v1/sandbox`. Unlike the other endpoints it carries its
 * payload beside the envelope fields, not in `data`.
 */
export const SandboxResponse = z.object({
  success: z.boolean().default(true),
  message: z.string().nullable().default("Operation successful"),
  data: z.string().nullish(),
  hint: z.string().nullish(),
  home_dir: z.string(),
  workspace: z.string().nullish(),
  version: z.string(),
  detail: SandboxDetail,
});
export type SandboxResponse = z.output<typeof SandboxResponse>;
