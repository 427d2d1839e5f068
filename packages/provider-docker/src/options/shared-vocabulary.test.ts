import { parseProviderOptions } from "@sandbox/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { networkFor } from "../docker/container-spec.js";
import { type DockerProviderOptionsInput, DockerProviderOptionsSchema } from "./options-schema.js";

const parse = (input: Partial<DockerProviderOptionsInput>) =>
  parseProviderOptions(
    DockerProviderOptionsSchema,
    { image: "busybox", ...input },
    {
      provider: "docker",
    },
  );

function configMessage(input: Partial<DockerProviderOptionsInput>): string {
  try {
    parse(input);
  } catch (error) {
    expect(error).toMatchObject({ code: "CONFIG_INVALID" });
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

afterEach(() => {
  vi.restoreAllMocks();
});

// Issue 11: network, skillsDir, environment/passEnv and the exec defaults mean the same in every
// provider; these are the Docker provider's answers to the shared vocabulary.
describe("the shared options in the Docker provider", () => {
  it("has the exec defaults of every provider", () => {
    expect(parse({})).toMatchObject({ execTimeoutMs: 600_000, maxOutputBytes: 1024 * 1024 });
    expect(parse({ execTimeoutMs: 5_000, maxOutputBytes: 4096 })).toMatchObject({
      execTimeoutMs: 5_000,
      maxOutputBytes: 4096,
    });
  });

  it("takes a relative skillsDir (createDockerProvider resolves it from root)", () => {
    expect(parse({ skillsDir: "./skills" }).skillsDir).toBe("./skills");
  });

  it("refuses bad shared values with CONFIG_INVALID naming the field", () => {
    const cases: Array<[Partial<DockerProviderOptionsInput>, string]> = [
      [{ execTimeoutMs: 0 }, "options.execTimeoutMs: "],
      [{ maxOutputBytes: -5 }, "options.maxOutputBytes: "],
      [{ skillsDir: "" }, "options.skillsDir: must name a directory"],
      [{ network: "" }, 'options.network: must be "none" or "open"'],
      [{ passEnv: ["BAD NAME"] }, "options.passEnv.0: "],
      [
        { network: "none", dockerNetwork: "my-net" },
        "options.dockerNetwork: joins a Docker network",
      ],
      [{ transport: "aio", network: "none" }, "options.network: the aio transport needs a network"],
    ];
    for (const [input, expected] of cases) {
      expect(configMessage(input), JSON.stringify(input)).toContain(expected);
    }
  });
});

describe("network", () => {
  it('maps "none" and "open" to Docker networks, per transport when left out', () => {
    expect(networkFor(parse({}))).toBe("none");
    expect(networkFor(parse({ network: "none" }))).toBe("none");
    expect(networkFor(parse({ network: "open" }))).toBe("sandbox-isolated");
    expect(networkFor(parse({ transport: "aio" }))).toBe("sandbox-isolated");
    expect(networkFor(parse({ transport: "aio", containerPrefix: "agent" }))).toBe(
      "agent-isolated",
    );
  });

  it("joins dockerNetwork when open, and naming one implies open", () => {
    expect(networkFor(parse({ network: "open", dockerNetwork: "my-net" }))).toBe("my-net");
    expect(networkFor(parse({ dockerNetwork: "my-net" }))).toBe("my-net");
    expect(networkFor(parse({ transport: "aio", dockerNetwork: "my-net" }))).toBe("my-net");
  });

  it("still takes a 0.x Docker network name in network, as before, with one deprecation warning", () => {
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    expect(networkFor(parse({ network: "bridge" }))).toBe("bridge");
    expect(networkFor(parse({ transport: "aio", network: "my-net" }))).toBe("my-net");
    expect(emit).toHaveBeenCalledTimes(1);
    expect(emit).toHaveBeenCalledWith(expect.stringContaining('dockerNetwork: "bridge"'), {
      type: "DeprecationWarning",
      code: "SANDBOX_DOCKER_NETWORK_NAME",
    });
    expect(configMessage({ network: "bridge", dockerNetwork: "my-net" })).toContain(
      "options.network: names a Docker network as well as dockerNetwork",
    );
  });
});
