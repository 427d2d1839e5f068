import type {
  ContainerState,
  ContainerStateTerminated,
  ContainerStatus,
  PodCondition,
  PodStatus,
} from "kubernetes-types/core/v1.js";

/** What the server knows about one container of a pod between Docker inspects. */
export interface ContainerRecord {
  name: string;
  image: string;
  dockerId: string | undefined;
  restartCount: number;
  /** Set while the kubelet would report `state.waiting` (config error, back-off). */
  waiting: { reason: string; message?: string } | undefined;
  lastTerminated: ContainerStateTerminated | undefined;
  /** True once it ran; a pod with a container that ran is past Pending. */
  everStarted: boolean;
  /** True when it exited and the restart policy keeps it down. */
  finished: boolean;
}

/** The part of `docker inspect` the status needs. */
export interface InspectFacts {
  imageId: string;
  running: boolean;
  exitCode: number;
  oomKilled: boolean;
  startedAt: string;
  finishedAt: string;
  ipAddress: string;
}

/** Docker writes nanoseconds and a zero time for "never"; Kubernetes wants RFC 3339 seconds. */
export function kubeTime(dockerTime: string | undefined): string | undefined {
  if (dockerTime === undefined || dockerTime.startsWith("0001-")) return undefined;
  const date = new Date(dockerTime);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace(/\.\d+Z$/, "Z");
}

/** The terminated state a container that exited reports. */
export function terminatedState(facts: InspectFacts, dockerId: string): ContainerStateTerminated {
  return {
    exitCode: facts.exitCode,
    reason: facts.oomKilled ? "OOMKilled" : facts.exitCode === 0 ? "Completed" : "Error",
    ...(kubeTime(facts.startedAt) === undefined ? {} : { startedAt: kubeTime(facts.startedAt) }),
    ...(kubeTime(facts.finishedAt) === undefined ? {} : { finishedAt: kubeTime(facts.finishedAt) }),
    containerID: `docker://${dockerId}`,
  };
}

function containerState(record: ContainerRecord, facts: InspectFacts | undefined): ContainerState {
  if (record.waiting !== undefined) return { waiting: record.waiting };
  if (facts === undefined || record.dockerId === undefined) {
    return { waiting: { reason: "ContainerCreating" } };
  }
  if (facts.running) {
    const startedAt = kubeTime(facts.startedAt);
    return { running: startedAt === undefined ? {} : { startedAt } };
  }
  if (kubeTime(facts.finishedAt) !== undefined) {
    return { terminated: terminatedState(facts, record.dockerId) };
  }
  return { waiting: { reason: "ContainerCreating" } };
}

/**
 * The pod's status as the kubelet would write it, from the container records and a fresh
 * inspect of each. Phase: Pending until a container ran; Succeeded or Failed once every
 * container finished for good; Running in between (also during a crash-loop back-off).
 */
export function podStatus(input: {
  containers: { record: ContainerRecord; facts: InspectFacts | undefined }[];
  startTime: string;
  previous: PodStatus | undefined;
  now: string;
}): PodStatus {
  const statuses: ContainerStatus[] = input.containers.map(({ record, facts }) => {
    const state = containerState(record, facts);
    const running = state.running !== undefined;
    return {
      name: record.name,
      image: record.image,
      imageID: facts?.imageId ?? "",
      ...(record.dockerId === undefined ? {} : { containerID: `docker://${record.dockerId}` }),
      ready: running,
      started: running,
      restartCount: record.restartCount,
      state,
      lastState: record.lastTerminated === undefined ? {} : { terminated: record.lastTerminated },
    };
  });
  const records = input.containers.map((entry) => entry.record);
  const allFinished = records.every((record) => record.finished);
  const allZero = statuses.every((status) => status.state?.terminated?.exitCode === 0);
  const phase = allFinished
    ? allZero
      ? "Succeeded"
      : "Failed"
    : records.some((record) => record.everStarted)
      ? "Running"
      : "Pending";
  const ready = statuses.every((status) => status.ready);
  const podIP = input.containers.find((entry) => entry.facts?.ipAddress)?.facts?.ipAddress;
  const condition = (type: string, value: boolean): PodCondition => {
    const before = input.previous?.conditions?.find((existing) => existing.type === type);
    const status = value ? "True" : "False";
    return {
      type,
      status,
      // The transition time moves only when the condition flips, as in the kubelet.
      lastTransitionTime:
        before !== undefined && before.status === status ? before.lastTransitionTime : input.now,
    };
  };
  return {
    phase,
    conditions: [
      condition("PodScheduled", true),
      condition("Initialized", true),
      condition("ContainersReady", ready),
      condition("Ready", ready),
    ],
    hostIP: "127.0.0.1",
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime: input.startTime,
    containerStatuses: statuses,
  };
}
