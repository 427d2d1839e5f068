/** How commands are wrapped: directly on the host, or inside bwrap. */
export type Isolation =
  | { kind: "none" }
  | { kind: "bwrap"; bwrap: string; systemArgs: readonly string[]; network: boolean };
