import type { Sandbox } from "@sandbox/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BUSYBOX_TEST_IMAGE, describeDocker, docker, uniquePrefix } from "./support/docker-env.js";
import { providerFactory, tempDir } from "./support/providers.js";

const prefix = uniquePrefix("pe");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);

const HOST = {
  PD_PASS_REGION: "eu-west-1",
  PD_PASS_GIT_AUTHOR: "bot",
  PD_PASS_GIT_EMAIL: "bot@example.com",
  PD_PASS_DATABASE_URL: "postgres://user:must-not-leak@db/app",
};

describeDocker("passEnv: host variables an operator names go into the container", () => {
  let sandbox: Sandbox;
  let containerEnv: string[];
  beforeAll(async () => {
    Object.assign(process.env, HOST);
    baseDir = await tempDir("pe");
    const provider = await makeProvider({
      image: BUSYBOX_TEST_IMAGE,
      passEnv: ["PD_PASS_REGION", "PD_PASS_GIT_*"],
      environment: { PD_PASS_GIT_EMAIL: "configured@example.com" },
    });
    const id = await provider.acquire("pass-env");
    sandbox = (await provider.get(id)) as Sandbox;
    containerEnv = (await docker.getContainer(`${prefix}-${id}`).inspect()).Config.Env;
  });
  afterAll(() => {
    for (const name of Object.keys(HOST)) delete process.env[name];
  });

  it("passes named and prefixed variables at create, environment winning, nothing else", async () => {
    const { stdout } = await sandbox.exec("env");
    expect(stdout).toContain("PD_PASS_REGION=eu-west-1\n");
    expect(stdout).toContain("PD_PASS_GIT_AUTHOR=bot\n");
    expect(stdout).toContain("PD_PASS_GIT_EMAIL=configured@example.com\n");
    expect(stdout).not.toContain("must-not-leak");
    expect(containerEnv).toEqual(
      expect.arrayContaining(["PD_PASS_REGION=eu-west-1", "PD_PASS_GIT_AUTHOR=bot"]),
    );
    expect(containerEnv.join("\n")).not.toContain("must-not-leak");
  });
});
