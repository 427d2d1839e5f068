import { z } from "zod";

/** The entry the multi-process tests write: a counter plus a payload that makes writes bigger. */
export const CounterEntrySchema = z.object({
  name: z.string(),
  value: z.number().int(),
  writer: z.string(),
  payload: z.string(),
  createdAtMs: z.number(),
});

export type CounterEntry = z.infer<typeof CounterEntrySchema>;

export const NAMESPACE = "workers";
