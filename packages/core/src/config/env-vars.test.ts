import { describe, expect, it } from "vitest";
import { passEnvSchema } from "./env-vars.js";

describe("passEnvSchema", () => {
  it("accepts names and name prefixes, defaulting to none", () => {
    expect(passEnvSchema().parse(undefined)).toEqual([]);
    expect(passEnvSchema().parse(["AWS_REGION", "GIT_*", "_X"])).toEqual([
      "AWS_REGION",
      "GIT_*",
      "_X",
    ]);
  });

  it.each([["*"], ["AWS-REGION"], ["1ABC"], ["GIT_*_NAME"], ["*TOKEN"], [""]])(
    "refuses %j with a message naming the form",
    (entry) => {
      const parsed = passEnvSchema().safeParse([entry]);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch(/variable name or a name prefix/);
    },
  );
});
