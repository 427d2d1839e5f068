import { describe, expect, it } from "vitest";
import { matchesFields, parseFieldSelector } from "./field-selector.js";

const pod = { metadata: { name: "a", namespace: "ns" }, status: { phase: "Running" } };

describe("field selectors", () => {
  it.each([
    ["metadata.name=a", true],
    ["metadata.name==b", false],
    ["status.phase!=Failed", true],
    ["metadata.name=a,metadata.namespace=ns", true],
    ["spec.nodeName=", true],
  ])("%s -> %s", (selector, expected) => {
    expect(matchesFields(parseFieldSelector(selector), pod)).toBe(expected);
  });

  it("refuses a field kube-apiserver does not index, with 400", () => {
    expect(() => parseFieldSelector("spec.hostname=x")).toThrow(/field label not supported/);
  });
});
