import type { Sandbox } from "@sandbox/core";
import { beforeAll, expect, it } from "vitest";
import type { DockerProviderOptionsInput } from "../src/index.js";
import {
  AIO_TEST_IMAGE,
  BUSYBOX_TEST_IMAGE,
  describeDocker,
  uniquePrefix,
} from "./support/docker-env.js";
import { providerFactory, tempDir } from "./support/providers.js";

const prefix = uniquePrefix("fm");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);

const transports: Array<[string, Partial<DockerProviderOptionsInput>]> = [
  ["exec", { image: BUSYBOX_TEST_IMAGE }],
  ["aio", { image: AIO_TEST_IMAGE, transport: "aio" }],
];

// Both file APIs (the archive API, AIO's /v1/file/write) write 0644; an agent's script edited
// through the file API must stay executable, as it does when files are written on the host.
for (const [name, options] of transports) {
  describeDocker(`${name} transport, files through the container keep their modes`, () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      baseDir ||= await tempDir("fm");
      const provider = await makeProvider({ ...options, fileAccess: "container" });
      sandbox = (await provider.get(await provider.acquire(`modes-${name}`))) as Sandbox;
    });

    it("keeps an executable script executable through replaceInFile and writeFile", async () => {
      await sandbox.exec("printf '#!/bin/sh\\necho one\\n' > run.sh && chmod 750 run.sh");
      expect(await sandbox.replaceInFile("run.sh", "one", "two")).toBe(1);
      expect((await sandbox.exec("./run.sh")).stdout).toBe("two\n");
      await sandbox.writeFile("run.sh", "#!/bin/sh\necho three\n");
      const result = await sandbox.exec("./run.sh; ls -ln run.sh | cut -c1-10");
      expect(result.stdout).toBe("three\n-rwxr-x---\n");
      await sandbox.writeFile("new.txt", "fresh\n");
      expect((await sandbox.exec("ls -ln new.txt | cut -c1-10")).stdout).toBe("-rw-r--r--\n");
    });
  });
}
