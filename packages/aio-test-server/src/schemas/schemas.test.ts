import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type JsonSchemaObject, spec, specSchema } from "../test-support/openapi.js";
import * as schemas from "./index.js";

const exported = Object.entries(schemas).filter(([, value]) => value instanceof z.ZodType) as Array<
  [string, z.ZodType]
>;

describe("schemas mirror the vendored OpenAPI spec", () => {
  it("every exported schema is named after a component of the spec", () => {
    const unknown = exported.map(([name]) => name).filter((name) => !spec.components.schemas[name]);
    expect(unknown).toEqual([]);
    expect(exported.length).toBeGreaterThan(60);
  });

  it.each(exported)(
    "%s has the spec's properties, required fields and enum values",
    (name, schema) => {
      const ours = z.toJSONSchema(schema, {
        io: "input",
        unrepresentable: "any",
      }) as JsonSchemaObject;
      const theirs = spec.components.schemas[name] as JsonSchemaObject;
      expect(Object.keys(ours.properties ?? {}).sort()).toEqual(
        Object.keys(theirs.properties ?? {}).sort(),
      );
      expect([...(ours.required ?? [])].sort()).toEqual([...(theirs.required ?? [])].sort());
      if (Array.isArray(theirs.enum)) expect(ours.enum).toEqual(theirs.enum);
    },
  );

  it("the spec-derived schemas used by the route tests do reject wrong shapes", () => {
    const result = specSchema("Response_ShellCommandResult_");
    expect(
      result.safeParse({ data: { session_id: "s", command: "c", status: "completed" } }).success,
    ).toBe(true);
    expect(
      result.safeParse({ data: { session_id: "s", command: "c", status: "finished" } }).success,
    ).toBe(false);
    expect(result.safeParse({ data: { command: "c", status: "completed" } }).success).toBe(false);
    expect(
      specSchema("FileGrepRequest").safeParse({ path: "/", pattern: "x", max_results: 0 }).success,
    ).toBe(false);
  });
});

describe("file envelopes", () => {
  it("parse a FileOperationError as the error, not as a result that only needs `path`", () => {
    const error = {
      path: "/x",
      operation: "find",
      message: "No such file or directory: /x",
      error_type: "not_found",
      errno_name: "ENOENT",
    };
    const parsed = schemas.Response_Union_FileFindResult__FileOperationError__.parse({
      success: false,
      data: error,
    });
    expect(parsed.data).toMatchObject({ error_type: "not_found", errno_name: "ENOENT" });
  });

  it("fill in the spec's defaults", () => {
    expect(schemas.Response_ShellWaitResult_.parse({ data: { status: "completed" } })).toEqual({
      success: true,
      message: "Operation successful",
      data: { status: "completed" },
    });
  });
});
