import { execFile } from "node:child_process";
import { access, constants, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Rootfs } from "./rootfs.js";
import { sharedLibraries } from "./shared-libraries.js";

const run = promisify(execFile);

/** Tag of the busybox test image (any-image `exec` transport). */
export const BUSYBOX_TEST_IMAGE = "sandbox-test/busybox:latest";
/**
 * Tag of the AIO test image (`aio` transport): busybox + node + the AIO test server.
 * `SANDBOX_TEST_AIO_IMAGE` names another tag, so checkouts with different server versions that
 * share one Docker engine do not rebuild each other's image back and forth.
 */
export const AIO_TEST_IMAGE = process.env.SANDBOX_TEST_AIO_IMAGE || "sandbox-test/aio:latest";
/** Port the AIO test server listens on inside its container. */
export const AIO_TEST_PORT = 8080;
/** Label holding the hash of an image's inputs; an image is rebuilt when it differs. */
export const INPUTS_HASH_LABEL = "org.sandbox.test-image.inputs-hash";

/** uid/gid of the non-root user both images have. */
export const SANDBOX_USER = { name: "sandbox", uid: 1000, gid: 1000 } as const;

/**
 * Keeps an exec-transport container alive with nothing but busybox, and exits at once on
 * `docker stop` instead of waiting out the kill timeout (PID 1 ignores an untrapped TERM).
 */
const KEEP_ALIVE_CMD = [
  "/bin/sh",
  "-c",
  "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done",
];
const PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** What `docker import` needs to make one image. */
export interface ImageDefinition {
  name: string;
  rootfs: Rootfs;
  /** Dockerfile instructions applied with `docker import --change`. */
  changes: string[];
}

/**
 * The busybox image: `/bin/busybox` with a symlink per applet, `/tmp` (1777), `/mnt`, and
 * `/etc/passwd`/`/etc/group` with root and `sandbox` (1000). Built from the host's static busybox
 * (Debian `busybox-static`), since no image registry is reachable.
 */
export async function busyboxImage(busybox = "/bin/busybox"): Promise<ImageDefinition> {
  const rootfs = await busyboxRootfs(busybox);
  return {
    name: BUSYBOX_TEST_IMAGE,
    rootfs,
    changes: [`ENV PATH=${PATH_ENV}`, "WORKDIR /", `CMD ${JSON.stringify(KEEP_ALIVE_CMD)}`],
  };
}

/**
 * The AIO image: the busybox root plus the host's `node` with every library `ldd` lists (at the
 * same paths, loader included) and the bundled server at `/opt/aio/server.cjs`, started on
 * {@link AIO_TEST_PORT}.
 */
export async function aioImage(options: {
  serverBundle: string;
  node?: string;
  busybox?: string;
}): Promise<ImageDefinition> {
  const rootfs = await busyboxRootfs(options.busybox ?? "/bin/busybox");
  const node = options.node ?? process.execPath;
  await rootfs.addHostFile("usr/local/bin/node", node, 0o755);
  for (const library of await sharedLibraries(node)) await rootfs.addHostFile(library, library);
  await rootfs.addHostFile("opt/aio/server.cjs", options.serverBundle, 0o644);
  return {
    name: AIO_TEST_IMAGE,
    rootfs,
    changes: [
      `ENV PATH=${PATH_ENV}`,
      "ENV HOME=/root",
      // Inside the container the server must accept connections from Docker's port proxy; the
      // provider publishes the port on 127.0.0.1 only.
      "ENV HOST=0.0.0.0",
      `ENV PORT=${AIO_TEST_PORT}`,
      "WORKDIR /root",
      `EXPOSE ${AIO_TEST_PORT}/tcp`,
      `CMD ${JSON.stringify(["/usr/local/bin/node", "/opt/aio/server.cjs"])}`,
    ],
  };
}

async function busyboxRootfs(busybox: string): Promise<Rootfs> {
  if ((await sharedLibraries(busybox)).length > 0) {
    throw new Error(
      `${busybox} is dynamically linked; install the static one (apt-get install busybox-static)`,
    );
  }
  const applets = (await run(busybox, ["--list"])).stdout
    .split("\n")
    .filter((name) => /^[\w.[-]+$/.test(name));
  const rootfs = new Rootfs();
  await rootfs.addHostFile("bin/busybox", busybox, 0o755);
  for (const applet of applets) {
    if (applet !== "busybox") rootfs.addSymlink(`bin/${applet}`, "busybox");
  }
  // Scripts start with `#!/usr/bin/env sh` more often than not.
  rootfs.addSymlink("usr/bin/env", "/bin/busybox");
  rootfs
    .addDirectory("tmp", 0o1777)
    .addDirectory("var/tmp", 0o1777)
    .addDirectory("mnt")
    .addDirectory("root", 0o700)
    .addDirectory(`home/${SANDBOX_USER.name}`, 0o755, {
      uid: SANDBOX_USER.uid,
      gid: SANDBOX_USER.gid,
    })
    .addText(
      "etc/passwd",
      `root:x:0:0:root:/root:/bin/sh\n${SANDBOX_USER.name}:x:${SANDBOX_USER.uid}:${SANDBOX_USER.gid}:${SANDBOX_USER.name}:/home/${SANDBOX_USER.name}:/bin/sh\n`,
    )
    .addText("etc/group", `root:x:0:\n${SANDBOX_USER.name}:x:${SANDBOX_USER.gid}:\n`);
  return rootfs;
}

/**
 * Path of the bundled server (`dist/image/aio-server.cjs`) of this package, found from this
 * module's own location so it works from `src` (tests) and from `dist`.
 */
export async function defaultServerBundle(): Promise<string> {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = await readFile(join(dir, "package.json"), "utf8").catch(() => undefined);
    if (
      manifest &&
      (JSON.parse(manifest) as { name?: string }).name === "@sandbox/aio-test-server"
    ) {
      const bundle = join(dir, "dist", "image", "aio-server.cjs");
      try {
        await access(bundle, constants.R_OK);
      } catch {
        throw new Error(
          `AIO server bundle missing at ${bundle}: run \`pnpm --filter @sandbox/aio-test-server build\``,
        );
      }
      return bundle;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("Cannot find the @sandbox/aio-test-server package root");
    dir = parent;
  }
}
