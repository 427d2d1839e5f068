import type { z } from "zod";

/**
 * One readable line per zod issue, each naming its field: `options.replicas: expected number`.
 *
 * @example
 * ```ts
 * formatIssues(result.error, "options"); // "options.image: Invalid input: expected string"
 * ```
 */
export function formatIssues(error: z.ZodError, prefix?: string): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}
