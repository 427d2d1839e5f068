import type { z } from "zod";
import type { ValidationError } from "../schemas/common.js";
import { HttpError } from "./reply.js";

type Issue = z.core.$ZodIssue;

/**
 * Turn zod issues into FastAPI's 422 `detail` entries, so a client written against the real AIO
 * server reads our validation errors the same way: `loc` starts with where the value came from
 * (`body`, `query`), `type` and `msg` use pydantic's vocabulary.
 */
export function toValidationErrors(
  issues: readonly Issue[],
  source: "body" | "query",
): Array<ValidationError & { input?: unknown }> {
  return issues.map((issue) => {
    const loc = [source, ...issue.path.map((key) => (typeof key === "number" ? key : String(key)))];
    const { msg, type } = describeIssue(issue);
    return { type, loc, msg, input: issue.input ?? null };
  });
}

function describeIssue(issue: Issue): { msg: string; type: string } {
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return { msg: "Field required", type: "missing" };
      return expectedType(issue.expected);
    }
    case "invalid_value":
      return {
        msg: `Input should be ${issue.values.map((v) => `'${String(v)}'`).join(", ")}`,
        type: "enum",
      };
    case "too_small":
      return {
        msg: `Input should be greater than or equal to ${String(issue.minimum)}`,
        type: "greater_than_equal",
      };
    case "too_big":
      return {
        msg: `Input should be less than or equal to ${String(issue.maximum)}`,
        type: "less_than_equal",
      };
    case "invalid_union": {
      const first = issue.errors[0]?.[0];
      return first ? describeIssue(first) : { msg: issue.message, type: "value_error" };
    }
    default:
      return { msg: issue.message, type: "value_error" };
  }
}

function expectedType(expected: string): { msg: string; type: string } {
  switch (expected) {
    case "string":
      return { msg: "Input should be a valid string", type: "string_type" };
    case "int":
      return { msg: "Input should be a valid integer", type: "int_type" };
    case "number":
      return { msg: "Input should be a valid number", type: "float_type" };
    case "boolean":
      return { msg: "Input should be a valid boolean", type: "bool_type" };
    case "array":
      return { msg: "Input should be a valid list", type: "list_type" };
    case "object":
    case "record":
      return { msg: "Input should be a valid dictionary", type: "dict_type" };
    default:
      return { msg: `Input should be a valid ${expected}`, type: `${expected}_type` };
  }
}

/**
 * Validate `input` with `schema`, or throw the 422 answer FastAPI would give.
 *
 * @example
 * ```ts
 * const body = validate(ShellExecRequest, await readJson(req), "body");
 * ```
 */
export function validate<T extends z.ZodType>(
  schema: T,
  input: unknown,
  source: "body" | "query",
): z.output<T> {
  // reportInput keeps the offending value on each issue: it tells "missing" from "wrong type".
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new HttpError(422, { detail: toValidationErrors(parsed.error.issues, source) });
}
