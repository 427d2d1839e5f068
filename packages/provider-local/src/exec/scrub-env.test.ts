import { describe, expect, it } from "vitest";
import { scrubEnvironment } from "./scrub-env.js";

describe("scrubEnvironment", () => {
  it("drops secret-looking names in any case and keeps the rest", () => {
    const env = {
      PATH: "/usr/bin",
      LANG: "C.UTF-8",
      OPENAI_API_KEY: "sk",
      aws_secret_access_key: "s",
      GITHUB_TOKEN: "t",
      DB_PASSWORD: "p",
      PassPhrase: "p",
      GOOGLE_APPLICATION_CREDENTIALS: "/c.json",
      KEYRING: "k",
      UNSET: undefined,
    };
    expect(scrubEnvironment(env)).toEqual({ PATH: "/usr/bin", LANG: "C.UTF-8" });
  });

  it("drops the host's working directories", () => {
    expect(scrubEnvironment({ PWD: "/home/me", OLDPWD: "/srv", HOME: "/home/me" })).toEqual({
      HOME: "/home/me",
    });
  });
});
