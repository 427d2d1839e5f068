import { describe, expect, it } from "vitest";
import { parseQuantity } from "./quantity.js";

describe("parseQuantity", () => {
  it.each([
    ["512Mi", 512 * 2 ** 20],
    ["1Gi", 2 ** 30],
    ["1G", 1e9],
    ["250m", 0.25],
    ["2", 2],
    [1.5, 1.5],
    ["lots", undefined],
    [undefined, undefined],
  ])("%s -> %s", (input, expected) => {
    expect(parseQuantity(input)).toBe(expected);
  });
});
