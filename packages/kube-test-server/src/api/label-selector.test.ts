import { describe, expect, it } from "vitest";
import { matchesLabels, parseLabelSelector } from "./label-selector.js";
import { KubeApiError } from "./status.js";

const labels = { app: "sandbox", tier: "a", "sandbox.dev/thread": "t1" };

describe("label selectors", () => {
  it.each([
    ["", true],
    ["app=sandbox", true],
    ["app==sandbox", true],
    ["app!=sandbox", false],
    ["missing!=x", true],
    ["tier in (a, b)", true],
    ["tier in (b)", false],
    ["tier notin (b)", true],
    ["missing notin (b)", true],
    ["missing in (b)", false],
    ["sandbox.dev/thread", true],
    ["!sandbox.dev/thread", false],
    ["!missing", true],
    ["app=sandbox,tier in (a,b),!missing", true],
    ["app=sandbox,tier=b", false],
  ])("%s -> %s", (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it.each(["a in (", "=x", "a b c", "a in (x y)"])(
    "refuses %s with a 400 BadRequest",
    (selector) => {
      const error = (() => {
        try {
          parseLabelSelector(selector);
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(KubeApiError);
      expect((error as KubeApiError).toStatus()).toMatchObject({ code: 400, reason: "BadRequest" });
    },
  );
});
