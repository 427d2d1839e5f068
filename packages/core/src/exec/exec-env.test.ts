import { describe, expect, it } from "vitest";
import { buildCommandEnv, DEFAULT_COMMAND_PATH, pickHostEnv } from "./exec-env.js";

// What a harness's own environment typically holds: credentials in names no deny-list catches.
const HOST = {
  PATH: "/opt/bin:/usr/bin",
  LANG: "en_US.UTF-8",
  LC_ALL: "en_US.UTF-8",
  LC_TIME: "C",
  TZ: "Europe/Paris",
  TERM: "xterm-256color",
  HOME: "/home/harness",
  TMPDIR: "/var/harness-tmp",
  PWD: "/srv/harness",
  USER: "harness",
  DATABASE_URL: "postgres://user:password@db.internal/app",
  REDIS_URL: "redis://:secret@cache:6379",
  MONGODB_URI: "mongodb+srv://u:p@cluster/db",
  SENTRY_DSN: "https://key@o1.ingest.sentry.io/1",
  SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T/B/X",
  NPM_CONFIG__AUTH: "dXNlcjpwYXNz",
  STRIPE_SK: "sk_live_abc",
  OPENAI_API_KEY: "sk-abc",
  AWS_REGION: "eu-west-1",
  AWS_SECRET_ACCESS_KEY: "aws-secret",
  GIT_AUTHOR_NAME: "bot",
  GIT_COMMITTER_NAME: "bot",
  GITHUB_TOKEN: "ghp_x",
};

const SANDBOX_PATHS = { home: "/mnt/user-data/.home", tmpDir: "/mnt/user-data/.tmp" };

describe("buildCommandEnv", () => {
  it("passes only the allow-list from the host, with HOME and TMPDIR inside the sandbox", () => {
    expect(buildCommandEnv({ hostEnv: HOST, ...SANDBOX_PATHS })).toEqual({
      PATH: "/opt/bin:/usr/bin",
      LANG: "en_US.UTF-8",
      LC_ALL: "en_US.UTF-8",
      LC_TIME: "C",
      TZ: "Europe/Paris",
      TERM: "xterm-256color",
      HOME: "/mnt/user-data/.home",
      TMPDIR: "/mnt/user-data/.tmp",
    });
  });

  it("falls back to a standard PATH when the host has none", () => {
    expect(buildCommandEnv({ hostEnv: {}, ...SANDBOX_PATHS })).toEqual({
      PATH: DEFAULT_COMMAND_PATH,
      ...{ HOME: SANDBOX_PATHS.home, TMPDIR: SANDBOX_PATHS.tmpDir },
    });
  });

  it("layers passEnv, then environment, then the call's env, later ones winning", () => {
    const env = buildCommandEnv({
      hostEnv: HOST,
      ...SANDBOX_PATHS,
      passEnv: ["AWS_REGION", "GIT_*"],
      environment: { GIT_AUTHOR_NAME: "configured", NODE_ENV: "test", HOME: "/work" },
      callEnv: { NODE_ENV: "call", EXTRA: "1" },
    });
    expect(env).toMatchObject({
      AWS_REGION: "eu-west-1",
      GIT_AUTHOR_NAME: "configured",
      GIT_COMMITTER_NAME: "bot",
      NODE_ENV: "call",
      EXTRA: "1",
      HOME: "/work",
    });
    expect(env).not.toHaveProperty("AWS_SECRET_ACCESS_KEY");
    expect(env).not.toHaveProperty("GITHUB_TOKEN");
    expect(env).not.toHaveProperty("DATABASE_URL");
  });
});

describe("pickHostEnv", () => {
  it("matches exact names and prefixes, never more", () => {
    expect(pickHostEnv(["AWS_REGION", "GIT_*", "NOT_SET"], HOST)).toEqual({
      AWS_REGION: "eu-west-1",
      GIT_AUTHOR_NAME: "bot",
      GIT_COMMITTER_NAME: "bot",
    });
    // `GIT_*` is a prefix of names, not a substring: GITHUB_TOKEN stays out.
    expect(pickHostEnv(["GIT_*"], HOST)).not.toHaveProperty("GITHUB_TOKEN");
    expect(pickHostEnv([], HOST)).toEqual({});
  });
});
