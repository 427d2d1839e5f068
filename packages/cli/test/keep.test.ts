// Warm threads across invocations (issue 17): `--keep` leaves the thread's container running at
// exit, and the next command on the thread adopts it instead of starting a new one.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BUSYBOX_TEST_IMAGE,
  docker,
  dockerAvailable,
  dockerTestsRequired,
} from "@sandbox/aio-test-server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBinary } from "./helpers/run-binary.js";

const runDocker = dockerTestsRequired() || (await dockerAvailable());
const prefix = `cli-keep-${randomBytes(4).toString("hex")}`;
let dir: string;
let config: string;

const cli = (args: string[]) => runBinary(args, { cwd: dir, env: { SANDBOX_CONFIG: config } });

async function containers(): Promise<{ id: string; name: string }[]> {
  const { stdout } = await docker([
    "ps",
    "-a",
    "--format",
    "{{.ID}} {{.Names}}",
    "--filter",
    `label=dev.sandbox.prefix=${prefix}`,
  ]);
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [id = "", name = ""] = line.split(" ");
      return { id, name };
    });
}

describe.skipIf(!runDocker)("sandbox exec --keep on the Docker provider", () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cli-keep-"));
    config = join(dir, "docker.config.json");
    await writeFile(
      config,
      JSON.stringify({
        provider: "docker",
        baseDir: "data",
        options: { image: BUSYBOX_TEST_IMAGE, pull: "never", containerPrefix: prefix },
      }),
    );
  });

  afterAll(async () => {
    const left = await containers();
    if (left.length > 0) await docker(["rm", "-f", ...left.map((c) => c.id)]);
    await rm(dir, { recursive: true, force: true });
  });

  it("leaves the container running, and the next exec adopts that same container warm", async () => {
    const first = await cli(["exec", "--keep", "-t", "t1", "--", "echo warm > /tmp/marker"]);
    expect(first.code).toBe(0);
    const kept = await containers();
    expect(kept).toHaveLength(1);
    const listed = await cli(["ls", "--json"]);
    const infos = JSON.parse(listed.stdout) as { threadId?: string }[];
    expect(infos.map((info) => info.threadId)).toContain("t1");

    // /tmp is the container's own, not a bind mount: only the same container still has it.
    const second = await cli(["exec", "--keep", "-t", "t1", "--", "cat /tmp/marker"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe("warm\n");
    expect(await containers()).toEqual(kept);

    // Without --keep, the adopted container is removed at exit, as with any exec.
    const last = await cli(["exec", "-t", "t1", "--", "cat /tmp/marker"]);
    expect(last.stdout).toBe("warm\n");
    expect(await containers()).toEqual([]);
  });

  it("sandbox rm and sandbox prune remove kept containers", async () => {
    expect((await cli(["exec", "--keep", "-t", "t2", "--", "true"])).code).toBe(0);
    expect((await cli(["exec", "--keep", "-t", "t3", "--", "true"])).code).toBe(0);
    expect(await containers()).toHaveLength(2);
    const removed = await cli(["rm", "--thread", "t2"]);
    expect(removed.code).toBe(0);
    expect(await containers()).toHaveLength(1);
    const pruned = await cli(["prune", "--idle", "1ms"]);
    expect(pruned.code).toBe(0);
    expect(await containers()).toEqual([]);
  });
});
