import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";
import type { Pod } from "kubernetes-types/core/v1.js";
import { badRequest } from "../api/status.js";
import type { ObjectStore, Stored } from "../store/object-store.js";
import { containerCreateOptions, type ImageFacts } from "./container-config.js";
import { INSTANCE_LABEL } from "./labels.js";
import {
  type ContainerRecord,
  type InspectFacts,
  podStatus,
  terminatedState,
} from "./pod-status.js";
import { bindMounts, ContainerConfigError, type VolumeSources } from "./volumes.js";

/** Longest crash-loop back-off; the kubelet's is 5 minutes, far too long for tests. */
const MAX_BACKOFF_MS = 10_000;

interface PodRecord {
  namespace: string;
  name: string;
  uid: string;
  containers: ContainerRecord[];
  startTime: string;
  deleting: boolean;
  /** Settles when every container was created and started (or failed to be). */
  launched: Promise<void>;
  /** Status writes of one pod run one after another, so none overwrites a newer one. */
  statusQueue: Promise<void>;
  timers: Set<NodeJS.Timeout>;
  emptyDirs: Map<string, string>;
}

/**
 * The kubelet of the test server: backs each stored Pod with one Docker container per pod
 * container, keeps `status` in step with them (start, exit, restart policy with back-off) and
 * tears them down on a graceful delete.
 */
export class PodRuntime {
  private readonly records = new Map<string, PodRecord>();
  /** Set once a container create was sent: a server that never ran a pod needs no Docker. */
  private createdContainers = false;

  constructor(
    private readonly docker: Docker,
    private readonly pods: ObjectStore<Pod>,
    private readonly instanceId: string,
    private readonly claimDirectory: (namespace: string, claimName: string) => string | undefined,
  ) {}

  /** Starts the containers of a pod that was just stored. */
  start(pod: Stored<Pod>): void {
    const uid = pod.metadata.uid as string;
    const record: PodRecord = {
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      uid,
      containers: (pod.spec?.containers ?? []).map((container) => ({
        name: container.name,
        image: container.image ?? "",
        dockerId: undefined,
        restartCount: 0,
        waiting: undefined,
        lastTerminated: undefined,
        everStarted: false,
        finished: false,
      })),
      startTime: pod.metadata.creationTimestamp as string,
      deleting: false,
      launched: Promise.resolve(),
      statusQueue: Promise.resolve(),
      timers: new Set(),
      emptyDirs: new Map(),
    };
    this.records.set(uid, record);
    record.launched = (async () => {
      await this.writeStatus(record);
      await Promise.all(
        (pod.spec?.containers ?? []).map((container, index) =>
          this.launch(record, pod, container, record.containers[index] as ContainerRecord),
        ),
      );
    })();
  }

  /**
   * Deletes a pod gracefully: marks it terminating (returned, as the API answers a graceful
   * delete), stops its containers within `gracePeriodSeconds` (SIGTERM, then SIGKILL), writes the
   * final status and removes it from the store. A grace of 0 removes it at once.
   */
  delete(namespace: string, name: string, gracePeriodSeconds: number | undefined): Stored<Pod> {
    const current = this.pods.require(namespace, name);
    if (current.metadata.deletionTimestamp !== undefined) return current;
    const grace = gracePeriodSeconds ?? current.spec?.terminationGracePeriodSeconds ?? 30;
    const record = this.records.get(current.metadata.uid as string);
    if (grace === 0 || record === undefined) {
      const gone = this.pods.remove(namespace, name);
      if (record !== undefined) void this.tearDown(record, 0, false);
      return gone;
    }
    record.deleting = true;
    const deadline = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d+Z$/, "Z");
    const marked = this.pods.update(namespace, name, (pod) => ({
      ...pod,
      metadata: {
        ...pod.metadata,
        deletionTimestamp: deadline,
        deletionGracePeriodSeconds: grace,
      },
    }));
    void this.tearDown(record, grace, true);
    return marked;
  }

  /** The Docker container an exec into `container` (default: the first) of a pod runs in. */
  execTarget(pod: Stored<Pod>, containerName: string | undefined): Docker.Container {
    const record = this.records.get(pod.metadata.uid as string);
    const name = containerName ?? pod.spec?.containers?.[0]?.name;
    const container = record?.containers.find((candidate) => candidate.name === name);
    if (record === undefined || container === undefined) {
      throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name}`);
    }
    if (container.dockerId === undefined || container.waiting !== undefined || container.finished) {
      throw badRequest(`unable to upgrade connection: container not found ("${name}")`);
    }
    return this.docker.getContainer(container.dockerId);
  }

  /** Removes every container this runtime started; pods stay in the store. */
  async stopAll(): Promise<void> {
    const records = [...this.records.values()];
    await Promise.all(records.map((record) => this.tearDown(record, 0, false)));
    if (!this.createdContainers) return;
    // Containers whose create raced the stop: find them by the instance label.
    const leftovers = await this.docker.listContainers({
      all: true,
      filters: { label: [`${INSTANCE_LABEL}=${this.instanceId}`] },
    });
    await Promise.all(
      leftovers.map((info) =>
        this.docker
          .getContainer(info.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined),
      ),
    );
  }

  private volumeSources(record: PodRecord): VolumeSources {
    return {
      claimDirectory: (claimName) => this.claimDirectory(record.namespace, claimName),
      emptyDirDirectory: async (volumeName) => {
        const existing = record.emptyDirs.get(volumeName);
        if (existing !== undefined) return existing;
        const directory = await mkdtemp(join(tmpdir(), "kube-test-emptydir-"));
        await chmod(directory, 0o777);
        record.emptyDirs.set(volumeName, directory);
        return directory;
      },
    };
  }

  private async launch(
    record: PodRecord,
    pod: Stored<Pod>,
    container: NonNullable<Pod["spec"]>["containers"][number],
    state: ContainerRecord,
  ): Promise<void> {
    try {
      const image = await this.imageFacts(container.image ?? "");
      const binds = await bindMounts(pod, container, this.volumeSources(record));
      const options = containerCreateOptions({
        instanceId: this.instanceId,
        pod,
        container,
        binds,
        image,
      });
      if (record.deleting) return;
      this.createdContainers = true;
      const created = await this.docker.createContainer(options);
      state.dockerId = created.id;
      if (record.deleting) return;
      await created.start();
      state.everStarted = true;
      this.watchExit(record, pod, state);
    } catch (error) {
      state.waiting =
        error instanceof ContainerConfigError
          ? { reason: error.reason, message: error.message }
          : { reason: "RunContainerError", message: (error as Error).message };
    }
    await this.writeStatus(record);
  }

  private async imageFacts(image: string): Promise<ImageFacts> {
    try {
      const info = await this.docker.getImage(image).inspect();
      return { user: info.Config?.User ?? "" };
    } catch (cause) {
      // Never pull: tests run without a registry, so a missing image is the pull error.
      throw new ContainerConfigError(
        "ErrImagePull",
        `image "${image}" is not present on this machine and the test server never pulls: ${(cause as Error).message}`,
      );
    }
  }

  /** Applies the restart policy when a container exits (Always, OnFailure, Never). */
  private watchExit(record: PodRecord, pod: Stored<Pod>, state: ContainerRecord): void {
    const dockerId = state.dockerId as string;
    const container = this.docker.getContainer(dockerId);
    void container
      .wait()
      .then(async () => {
        if (record.deleting) return;
        const facts = await this.inspect(dockerId);
        if (facts === undefined || record.deleting) return;
        const policy = pod.spec?.restartPolicy ?? "Always";
        const restart = policy === "Always" || (policy === "OnFailure" && facts.exitCode !== 0);
        if (!restart) {
          state.finished = true;
          await this.writeStatus(record);
          return;
        }
        state.lastTerminated = terminatedState(facts, dockerId);
        const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** state.restartCount);
        state.waiting = {
          reason: "CrashLoopBackOff",
          message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${state.name} pod=${record.name}_${record.namespace}(${record.uid})`,
        };
        await this.writeStatus(record);
        const timer = setTimeout(() => {
          record.timers.delete(timer);
          if (record.deleting) return;
          void container
            .start()
            .then(async () => {
              state.restartCount += 1;
              state.waiting = undefined;
              await this.writeStatus(record);
              this.watchExit(record, pod, state);
            })
            .catch(async (error: Error) => {
              state.waiting = { reason: "RunContainerError", message: error.message };
              await this.writeStatus(record);
            });
        }, delay);
        record.timers.add(timer);
      })
      .catch(() => undefined);
  }

  private async inspect(dockerId: string): Promise<InspectFacts | undefined> {
    try {
      const info = await this.docker.getContainer(dockerId).inspect();
      return {
        imageId: info.Image,
        running: info.State.Running,
        exitCode: info.State.ExitCode,
        oomKilled: info.State.OOMKilled,
        startedAt: info.State.StartedAt,
        finishedAt: info.State.FinishedAt,
        ipAddress:
          Object.values(info.NetworkSettings?.Networks ?? {}).find((network) => network.IPAddress)
            ?.IPAddress ?? "",
      };
    } catch {
      return undefined;
    }
  }

  /** Writes the pod's status from fresh inspects; a pod gone or replaced is left alone. */
  private writeStatus(record: PodRecord, options: { final?: boolean } = {}): Promise<void> {
    const run = async () => {
      if (record.deleting && options.final !== true) return;
      const current = this.pods.get(record.namespace, record.name);
      if (current === undefined || current.metadata.uid !== record.uid) return;
      const containers = await Promise.all(
        record.containers.map(async (container) => ({
          record: container,
          facts:
            container.dockerId === undefined ? undefined : await this.inspect(container.dockerId),
        })),
      );
      const latest = this.pods.get(record.namespace, record.name);
      if (latest === undefined || latest.metadata.uid !== record.uid) return;
      const status = podStatus({
        containers,
        startTime: record.startTime,
        previous: latest.status,
        now: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      });
      this.pods.update(record.namespace, record.name, (pod) => ({ ...pod, status }));
    };
    record.statusQueue = record.statusQueue.then(run, run).catch(() => undefined);
    return record.statusQueue;
  }

  private async tearDown(record: PodRecord, graceSeconds: number, removeFromStore: boolean) {
    record.deleting = true;
    for (const timer of record.timers) clearTimeout(timer);
    record.timers.clear();
    await record.launched.catch(() => undefined);
    const ids = record.containers.flatMap((container) =>
      container.dockerId === undefined ? [] : [container.dockerId],
    );
    await Promise.all(
      ids.map((id) =>
        this.docker
          .getContainer(id)
          .stop({ t: graceSeconds })
          .catch(() => undefined),
      ),
    );
    if (removeFromStore) {
      for (const container of record.containers) {
        container.waiting = undefined;
        container.finished = true;
      }
      await this.writeStatus(record, { final: true });
    }
    await Promise.all(
      ids.map((id) =>
        this.docker
          .getContainer(id)
          .remove({ force: true, v: true })
          .catch(() => undefined),
      ),
    );
    await Promise.all(
      [...record.emptyDirs.values()].map((directory) =>
        rm(directory, { recursive: true, force: true }),
      ),
    );
    this.records.delete(record.uid);
    if (removeFromStore) {
      const current = this.pods.get(record.namespace, record.name);
      if (current !== undefined && current.metadata.uid === record.uid) {
        this.pods.remove(record.namespace, record.name);
      }
    }
  }
}
