import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineSandboxProvider } from "./define-provider.js";
import { DoctorCheckSchema, doctorCheck } from "./doctor-check.js";

const optionsSchema = z.object({ region: z.string().default("eu-west-1") });
const create = () => {
  throw new Error("not created in these tests");
};

describe("CLI hooks on a provider definition", () => {
  it("are kept by defineSandboxProvider and called with the parsed options", async () => {
    const definition = defineSandboxProvider({
      name: "vm",
      optionsSchema,
      create,
      cli: {
        toolDefaults: { region: "local-test" },
        doctor: ({ options, configured }) => [
          doctorCheck("vm-api", configured ? "ok" : "warn", `region ${options?.region ?? "?"}`),
        ],
      },
    });
    expect(definition.cli?.toolDefaults).toEqual({ region: "local-test" });
    const checks = await definition.cli?.doctor?.({
      configured: true,
      options: optionsSchema.parse({}),
      fix: false,
      baseDir: "/srv/.sandbox",
      root: "/srv",
      open: () => Promise.reject(new Error("unused")),
    });
    expect(checks).toEqual([{ name: "vm-api", status: "ok", message: "region eu-west-1" }]);
  });

  it("type tool defaults against the options schema", () => {
    defineSandboxProvider({
      name: "vm",
      optionsSchema,
      create,
      // @ts-expect-error: region is a string in the schema
      cli: { toolDefaults: { region: 5 } },
    });
  });
});

describe("doctorCheck", () => {
  it("leaves out an empty hint and fix list, and copies the list", () => {
    expect(doctorCheck("x", "ok", "fine", { hint: "", fixed: [] })).toEqual({
      name: "x",
      status: "ok",
      message: "fine",
    });
    const fixed = ["removed a"];
    const check = doctorCheck("x", "warn", "m", { hint: "h", fixed });
    fixed.push("removed b");
    expect(check).toEqual({
      name: "x",
      status: "warn",
      message: "m",
      hint: "h",
      fixed: ["removed a"],
    });
  });

  it("has a schema the CLI validates a hook's report with", () => {
    expect(DoctorCheckSchema.safeParse(doctorCheck("x", "fail", "m")).success).toBe(true);
    expect(
      DoctorCheckSchema.safeParse({ name: "x", status: "sideways", message: "m" }).success,
    ).toBe(false);
    expect(DoctorCheckSchema.safeParse({ name: "", status: "ok", message: "m" }).success).toBe(
      false,
    );
  });
});
