import { z } from "zod";

/**
 * The `Response[...]` envelope every AIO endpoint wraps its result in. The spec gives `success`
 * and `message` defaults and leaves `data` and `hint` optional, so a parser accepts an envelope
 * with any of them missing and fills the defaults in.
 *
 * @example
 * ```ts
 * const ResponseFoo = responseOf(z.object({ foo: z.string() }));
 * ResponseFoo.parse({ data: { foo: "x" } }); // { success: true, message: "Operation successful", data: { foo: "x" } }
 * ```
 */
export function responseOf<T extends z.ZodType>(data: T) {
  return z.object({
    success: z.boolean().default(true),
    message: z.string().nullable().default("Operation successful"),
    data: data.nullable().optional(),
    hint: z.string().nullable().optional(),
  });
}

/** `Response`: the generic envelope whose `data` may be anything (used by kill, close, write). */
export const Response = responseOf(z.unknown());
export type Response = z.output<typeof Response>;

/** `ValidationError`: one entry of a 422 body, in FastAPI/pydantic's shape. */
export const ValidationError = z.object({
  loc: z.array(z.union([z.string(), z.int()])),
  msg: z.string(),
  type: z.string(),
});
export type ValidationError = z.output<typeof ValidationError>;

/** `HTTPValidationError`: the body of every 422 answer. */
export const HTTPValidationError = z.object({
  detail: z.array(ValidationError).optional(),
});
export type HTTPValidationError = z.output<typeof HTTPValidationError>;
