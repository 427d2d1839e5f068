// A second Docker daemon, private to one test file: its own socket, data root, exec root (so its
// own containerd), pid file and cgroup parent, and its own network namespace, so it never touches
// the machine's main daemon. Tests stop and start it to see how the provider lives through a
// daemon restart.
//
// The network namespace is not optional: `dockerd --bridge=none` *deletes* an interface named
// docker0 when it starts, and in the host's namespace that is the main daemon's bridge (every
// bridge-network container of the machine then fails to start). Inside `unshare --net` it can
// only touch its own.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, openSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import Docker from "dockerode";
import { describe } from "vitest";
import { dockerReady, docker as mainDocker } from "./docker-env.js";

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 45_000;

function findCommand(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/bin", "/sbin"];
  return dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
}

const HOST_BRIDGE = "/sys/class/net/docker0";

// A last line of defence: the main daemon's bridge must be exactly as it was.
function assertHostBridge(present: boolean): void {
  if (existsSync(HOST_BRIDGE) !== present) {
    throw new Error("the host's docker0 bridge changed while the second dockerd ran");
  }
}

/** Why a second daemon cannot run here, or `undefined` when it can. */
export function secondDockerdUnavailable(): string | undefined {
  if (!dockerReady) return "no Docker engine";
  if (!findCommand("dockerd")) return "dockerd is not installed";
  if (!findCommand("unshare")) return "unshare (util-linux) is not installed";
  if (process.getuid?.() !== 0) return "starting a dockerd needs root";
  return undefined;
}

/**
 * `describe` for tests that need a second daemon. In CI they never skip: a missing dockerd fails
 * the file. Elsewhere they skip, with the reason in the name.
 */
export function describeSecondDockerd(name: string, body: () => void): void {
  const reason = secondDockerdUnavailable();
  if (reason && process.env.CI) {
    throw new Error(`CI must run "${name}", but a second dockerd cannot start here: ${reason}`);
  }
  if (reason) describe.skip(`${name} (skipped: ${reason})`, body);
  else describe(name, body);
}

/** A private dockerd that a test starts, stops and starts again. */
export interface SecondDockerd {
  /** The daemon's Unix socket. */
  readonly socketPath: string;
  /** A client of this daemon. */
  readonly docker: Docker;
  /** Starts the daemon (again) and waits until it answers. */
  start(): Promise<void>;
  /** Stops it as an operator would (SIGTERM: its containers stop) and waits until it is gone. */
  stop(): Promise<void>;
  /** Stops it, removes its containers first, and deletes every file it had. */
  dispose(): Promise<void>;
}

async function answers(docker: Docker): Promise<boolean> {
  try {
    await docker.ping();
    return true;
  } catch {
    return false;
  }
}

function mountsUnder(dir: string): string[] {
  return readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[1] ?? "")
    .filter((mount) => mount.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/**
 * Creates and starts a second dockerd under a new directory in /tmp, with `images` (already on
 * the main daemon) loaded into it.
 *
 * @example
 * ```ts
 * const daemon = await startSecondDockerd([BUSYBOX_TEST_IMAGE]);
 * await daemon.stop();
 * await daemon.start();
 * await daemon.dispose();
 * ```
 */
export async function startSecondDockerd(images: string[]): Promise<SecondDockerd> {
  const dockerd = findCommand("dockerd");
  const unshare = findCommand("unshare");
  if (!dockerd || !unshare) throw new Error("dockerd or unshare is not installed");
  const hostBridge = existsSync(HOST_BRIDGE);
  const dir = await mkdtemp("/tmp/sbx-dockerd-");
  const socketPath = join(dir, "docker.sock");
  const pidFile = join(dir, "dockerd.pid");
  const execRoot = join(dir, "exec");
  await mkdir(join(dir, "data"), { recursive: true });
  const docker = new Docker({ socketPath });
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    if (child) return;
    const log = openSync(join(dir, "dockerd.log"), "a");
    // unshare execs dockerd in place: the child's pid is the daemon's.
    const started = spawn(
      unshare,
      [
        "--net",
        "--",
        dockerd,
        `--host=unix://${socketPath}`,
        `--data-root=${join(dir, "data")}`,
        `--exec-root=${execRoot}`,
        `--pidfile=${pidFile}`,
        `--cgroup-parent=/${dir.split("/").pop()}`,
        "--bridge=none",
        "--iptables=false",
        "--ip6tables=false",
        "--ip-masq=false",
      ],
      { stdio: ["ignore", log, log] },
    );
    child = started;
    exited = new Promise((resolve) => started.once("exit", () => resolve()));
    void exited.then(() => {
      if (child === started) child = undefined;
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await answers(docker))) {
      if (!child || Date.now() > deadline) {
        const tail = readFileSync(join(dir, "dockerd.log"), "utf8").split("\n").slice(-15);
        throw new Error(`the second dockerd did not come up:\n${tail.join("\n")}`);
      }
      await sleep(100);
    }
    assertHostBridge(hostBridge);
  };

  const stop = async () => {
    const running = child;
    if (!running) return;
    running.kill("SIGTERM");
    const stopped = await Promise.race([exited.then(() => true), sleep(STOP_TIMEOUT_MS, false)]);
    if (!stopped) {
      running.kill("SIGKILL");
      await exited;
    }
    // A killed dockerd leaves its own containerd behind; end that one too (it is ours alone).
    const containerdPid = join(execRoot, "containerd", "containerd.pid");
    if (existsSync(containerdPid)) {
      const pid = Number(readFileSync(containerdPid, "utf8"));
      if (pid > 0) {
        try {
          process.kill(pid, "SIGTERM");
        } catch {
          // already gone
        }
      }
    }
    assertHostBridge(hostBridge);
  };

  const dispose = async () => {
    if (child) {
      const containers = await docker.listContainers({ all: true }).catch(() => []);
      await Promise.all(
        containers.map((info) =>
          docker
            .getContainer(info.Id)
            .remove({ force: true })
            .catch(() => undefined),
        ),
      );
    }
    await stop();
    for (const mount of mountsUnder(dir)) spawnSync("umount", ["-l", mount]);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await start();
    for (const image of images) {
      const tar = await mainDocker.getImage(image).get();
      const progress = await docker.loadImage(tar);
      await new Promise<void>((resolve, reject) =>
        docker.modem.followProgress(progress, (error: Error | null) =>
          error ? reject(error) : resolve(),
        ),
      );
    }
  } catch (error) {
    await dispose();
    throw error;
  }
  return { socketPath, docker, start, stop, dispose };
}
