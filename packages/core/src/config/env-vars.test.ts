import { describe, expect, it } from "vitest";
import { z } from "zod";
import { envMapSchema, passEnvSchema } from "./env-vars.js";

describe("envMapSchema", () => {
  it("expands once: parsing its own output again changes nothing", () => {
    const Options = z.object({ environment: envMapSchema({ PASS: "p$ss", HOME: "/home/me" }) });
    const once = Options.parse({ environment: { A: "$PASS", B: "$$HOME", C: "${HOME}/x" } });
    expect(once.environment).toEqual({ A: "p$ss", B: "$HOME", C: "/home/me/x" });
    // What a provider's create does with options createSandboxProvider already parsed.
    expect(Options.parse(once).environment).toEqual(once.environment);
    expect(Options.parse(Options.parse(once)).environment).toEqual(once.environment);
  });

  it("still names a bad name or an unset reference", () => {
    const schema = envMapSchema({});
    expect(schema.safeParse({ "BAD-NAME": "x" }).success).toBe(false);
    expect(schema.safeParse({ A: "$UNSET" }).error?.issues[0]).toMatchObject({
      path: ["A"],
      message: "references unset environment variable $UNSET",
    });
  });
});

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
