import { describe, expect, it } from "vitest";
import { isSandboxError } from "../errors/sandbox-error.js";
import { CappedOutput } from "./capped-output.js";
import { validateExecEnv } from "./exec-env.js";
import { normalizeExecOptions } from "./exec-options.js";
import { createStreamMasker } from "./stream-masker.js";

describe("CappedOutput", () => {
  it("keeps everything under the budget", () => {
    const out = new CappedOutput(10);
    expect(out.push("hello")).toBe(true);
    expect(out.push("!")).toBe(true);
    expect(out.text).toBe("hello!");
    expect(out.truncated).toBe(false);
  });

  it("cuts at the byte budget without splitting a character", () => {
    const out = new CappedOutput(5);
    out.push("abcd");
    expect(out.push("é!")).toBe(false);
    expect(out.text).toBe("abcd");
    expect(out.truncated).toBe(true);
    expect(out.push("more")).toBe(false);
    expect(out.text).toBe("abcd");
  });

  it("bounds huge output", () => {
    const out = new CappedOutput(1024);
    for (let i = 0; i < 1000; i += 1) out.push("x".repeat(1000));
    expect(Buffer.byteLength(out.text)).toBe(1024);
    expect(out.truncated).toBe(true);
  });
});

describe("validateExecEnv", () => {
  it("accepts shell variable names", () => {
    expect(validateExecEnv({ A: "1", _b2: "" })).toEqual({ A: "1", _b2: "" });
    expect(validateExecEnv(undefined)).toEqual({});
  });

  it.each(["1X", "A-B", "A=B", "", "A B", "É"])("refuses the name %j", (name) => {
    expect(() => validateExecEnv({ [name]: "x" })).toThrowError(
      /Invalid environment variable name/,
    );
  });

  it("refuses non-string values, NUL and non-objects", () => {
    expect(() => validateExecEnv({ A: 1 })).toThrowError(/must be a string/);
    expect(() => validateExecEnv({ A: "a\0b" })).toThrowError(/NUL/);
    expect(() => validateExecEnv(["A"])).toThrowError(/object/);
  });
});

describe("normalizeExecOptions", () => {
  it("fills in defaults", () => {
    const options = normalizeExecOptions("ls");
    expect(options.timeoutMs).toBe(600_000);
    expect(options.maxOutputBytes).toBe(1024 * 1024);
    expect(options.env).toEqual({});
  });

  it("refuses bad commands and options", () => {
    const cases: Array<[unknown, object]> = [
      ["", {}],
      ["  ", {}],
      ["a\0b", {}],
      [42, {}],
      ["ls", { timeoutMs: 0 }],
      ["ls", { timeoutMs: 1.5 }],
      ["ls", { maxOutputBytes: -1 }],
      ["ls", { env: { "1": "x" } }],
    ];
    for (const [command, options] of cases) {
      try {
        normalizeExecOptions(command, options);
        expect.fail(`accepted ${JSON.stringify([command, options])}`);
      } catch (error) {
        expect(isSandboxError(error, "INVALID_ARGUMENT")).toBe(true);
      }
    }
  });

  it("says which check failed", () => {
    const message = (command: unknown, options: object = {}) => {
      try {
        normalizeExecOptions(command, options);
      } catch (error) {
        return (error as Error).message;
      }
      return "accepted";
    };
    expect(message(" ")).toBe("exec needs a non-empty command string");
    expect(message("a\0b")).toBe("A command must not contain NUL bytes");
    expect(message("ls", { timeoutMs: "5" })).toBe("exec timeoutMs must be a positive integer");
    expect(message("ls", { maxOutputBytes: 0 })).toBe(
      "exec maxOutputBytes must be a positive integer",
    );
    expect(normalizeExecOptions("ls", { timeoutMs: 1, maxOutputBytes: 7 })).toMatchObject({
      timeoutMs: 1,
      maxOutputBytes: 7,
    });
    expect(message("ls", { env: 5 })).toBe("exec env must be an object of strings");
    expect(message("ls", { env: null })).toBe("exec env must be an object of strings");
  });

  it("refuses an already-aborted signal", () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => normalizeExecOptions("ls", { signal: controller.signal })).toThrowError(
      "exec was aborted before it started",
    );
  });
});

describe("createStreamMasker", () => {
  const host = "/srv/data/ws";
  const mask = (text: string) => text.replaceAll(host, "/mnt/user-data/workspace");

  it("masks a host path split across chunks", () => {
    const masker = createStreamMasker(mask, [host]);
    const emitted = [masker.push("file at /srv/da"), masker.push("ta/ws/a.txt\n"), masker.flush()];
    expect(emitted.join("")).toBe("file at /mnt/user-data/workspace/a.txt\n");
    expect(emitted.join("")).not.toContain("/srv");
  });

  it("emits text that cannot become a host path right away", () => {
    const masker = createStreamMasker(mask, [host]);
    expect(masker.push("hello\n")).toBe("hello\n");
    expect(masker.push("no paths here")).toBe("no paths here");
    expect(masker.flush()).toBe("");
  });

  it("never leaks for any split point", () => {
    const text = `a ${host}/x b ${host} c /srv/other\n`;
    for (let i = 0; i <= text.length; i += 1) {
      for (let j = i; j <= text.length; j += 1) {
        const masker = createStreamMasker(mask, [host]);
        const out =
          masker.push(text.slice(0, i)) +
          masker.push(text.slice(i, j)) +
          masker.push(text.slice(j)) +
          masker.flush();
        expect(out).toBe(mask(text));
      }
    }
  });

  it("holds back only the tail that could still become a host path", () => {
    const masker = createStreamMasker(mask, [host]);
    // A whole host path at the end is held (more name characters may follow); the text before it
    // is safe and goes out at once.
    expect(masker.push(`abc ${host}`)).toBe("abc ");
    expect(masker.push("/a.txt\n")).toBe("/mnt/user-data/workspace/a.txt\n");
  });

  it("starts empty again after flush", () => {
    const masker = createStreamMasker(mask, [host]);
    expect(masker.push("x /srv/da")).toBe("x ");
    expect(masker.flush()).toBe("/srv/da");
    expect(masker.push("done\n")).toBe("done\n");
    expect(masker.flush()).toBe("");
  });

  it("masks a host path that ends the stream, split at every position of the last chunk", () => {
    // No newline after the path: what the masker holds back is only decided by flush().
    for (const text of [host, `cwd: ${host}`, `${host}/a.txt`]) {
      for (let cut = 0; cut <= text.length; cut += 1) {
        const masker = createStreamMasker(mask, [host]);
        const out = masker.push(text.slice(0, cut)) + masker.push(text.slice(cut)) + masker.flush();
        expect(out, `cut at ${cut}`).toBe(mask(text));
        expect(out).not.toContain("/srv");
      }
    }
  });
});
