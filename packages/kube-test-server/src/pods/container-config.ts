import { hostname } from "node:os";
import type Docker from "dockerode";
import type { Container, Pod, SecurityContext } from "kubernetes-types/core/v1.js";
import {
  CONTAINER_LABEL,
  HOST_LABEL,
  INSTANCE_LABEL,
  NAMESPACE_LABEL,
  PID_LABEL,
  POD_LABEL,
  POD_UID_LABEL,
} from "./labels.js";
import { parseQuantity } from "./quantity.js";
import { ContainerConfigError } from "./volumes.js";

/** Image facts the kubelet checks before it starts a container. */
export interface ImageFacts {
  /** The image's `USER`, "" when unset (root). */
  user: string;
}

/**
 * Docker create options for one container of a pod. Kubernetes `command` replaces the image's
 * ENTRYPOINT and `args` its CMD. Security settings Docker can enforce are mapped (user, group,
 * capabilities, no-new-privileges, read-only root, memory and CPU limits); the rest stays in the
 * stored Pod only.
 */
export function containerCreateOptions(input: {
  instanceId: string;
  pod: Pod & { metadata: { name: string; namespace: string; uid?: string } };
  container: Container;
  binds: string[];
  image: ImageFacts;
}): Docker.ContainerCreateOptions {
  const { pod, container, image } = input;
  const security = effectiveSecurity(pod, container);
  checkRunAsNonRoot(security, image);
  const limits = container.resources?.limits ?? {};
  const memory = parseQuantity(limits.memory);
  const cpu = parseQuantity(limits.cpu);
  const user =
    security.runAsUser === undefined
      ? undefined
      : `${security.runAsUser}${security.runAsGroup === undefined ? "" : `:${security.runAsGroup}`}`;
  return {
    name: `kts-${(pod.metadata.uid ?? "").slice(0, 8)}-${pod.metadata.name.slice(0, 40)}-${container.name}`,
    Image: container.image,
    ...(container.command === undefined ? {} : { Entrypoint: container.command }),
    ...(container.args === undefined ? {} : { Cmd: container.args }),
    Env: (container.env ?? [])
      .filter((variable) => variable.value !== undefined)
      .map((variable) => `${variable.name}=${variable.value}`),
    ...(container.workingDir === undefined ? {} : { WorkingDir: container.workingDir }),
    ...(user === undefined ? {} : { User: user }),
    Hostname: pod.metadata.name.slice(0, 63).replace(/[.-]+$/, ""),
    Tty: container.tty === true,
    OpenStdin: container.stdin === true,
    Labels: {
      [INSTANCE_LABEL]: input.instanceId,
      [NAMESPACE_LABEL]: pod.metadata.namespace,
      [POD_LABEL]: pod.metadata.name,
      [POD_UID_LABEL]: pod.metadata.uid ?? "",
      [CONTAINER_LABEL]: container.name,
      [HOST_LABEL]: hostname(),
      [PID_LABEL]: String(process.pid),
    },
    HostConfig: {
      Binds: input.binds,
      CapDrop: security.capabilities?.drop ?? [],
      CapAdd: security.capabilities?.add ?? [],
      SecurityOpt: security.allowPrivilegeEscalation === false ? ["no-new-privileges"] : [],
      ReadonlyRootfs: security.readOnlyRootFilesystem === true,
      ...(memory === undefined ? {} : { Memory: Math.floor(memory) }),
      ...(cpu === undefined ? {} : { NanoCpus: Math.floor(cpu * 1e9) }),
    },
  };
}

/** Container settings override the pod's, field by field, as in the kubelet. */
function effectiveSecurity(pod: Pod, container: Container): SecurityContext {
  const podLevel = pod.spec?.securityContext ?? {};
  const own = container.securityContext ?? {};
  return {
    ...own,
    runAsUser: own.runAsUser ?? podLevel.runAsUser,
    runAsGroup: own.runAsGroup ?? podLevel.runAsGroup,
    runAsNonRoot: own.runAsNonRoot ?? podLevel.runAsNonRoot,
  };
}

/** The kubelet's runAsNonRoot check: it refuses a root or unverifiable user before the start. */
function checkRunAsNonRoot(security: SecurityContext, image: ImageFacts): void {
  if (security.runAsNonRoot !== true) return;
  if (security.runAsUser !== undefined) {
    if (security.runAsUser === 0) {
      throw new ContainerConfigError(
        "CreateContainerConfigError",
        "container's runAsUser breaks non-root policy",
      );
    }
    return;
  }
  const user = image.user.split(":")[0] ?? "";
  if (user === "" || user === "0" || user === "root") {
    throw new ContainerConfigError(
      "CreateContainerConfigError",
      "container has runAsNonRoot and image will run as root",
    );
  }
  if (!/^\d+$/.test(user)) {
    throw new ContainerConfigError(
      "CreateContainerConfigError",
      `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root`,
    );
  }
}
