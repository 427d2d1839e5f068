import { chmod, mkdir } from "node:fs/promises";
import { isAbsolute, join, normalize, sep } from "node:path";
import type { Container, Pod } from "kubernetes-types/core/v1.js";

/** Why a container cannot start, as the kubelet reports it in `state.waiting`. */
export class ContainerConfigError extends Error {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** Where each of a pod's volumes lives on the host. */
export interface VolumeSources {
  /** Host directory of the PVC a claim names, undefined when the claim does not exist. */
  claimDirectory(claimName: string): string | undefined;
  /** Host directory of an emptyDir volume of this pod (created on demand). */
  emptyDirDirectory(volumeName: string): Promise<string>;
}

/**
 * Docker bind specs (`host:container[:ro]`) for a container's volumeMounts. A `subPath` is a
 * directory inside the volume, created when missing as the kubelet does; one that climbs out of
 * the volume is refused the way the kubelet refuses it.
 */
export async function bindMounts(
  pod: Pod,
  container: Container,
  sources: VolumeSources,
): Promise<string[]> {
  const volumes = new Map((pod.spec?.volumes ?? []).map((volume) => [volume.name, volume]));
  const binds: string[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = volumes.get(mount.name);
    if (volume === undefined) {
      throw new ContainerConfigError(
        "CreateContainerConfigError",
        `volume "${mount.name}" not found in pod spec`,
      );
    }
    let root: string;
    let readOnly = mount.readOnly === true;
    if (volume.persistentVolumeClaim !== undefined) {
      const directory = sources.claimDirectory(volume.persistentVolumeClaim.claimName);
      if (directory === undefined) {
        throw new ContainerConfigError(
          "CreateContainerConfigError",
          `persistentvolumeclaim "${volume.persistentVolumeClaim.claimName}" not found`,
        );
      }
      root = directory;
      readOnly ||= volume.persistentVolumeClaim.readOnly === true;
    } else if (volume.emptyDir !== undefined) {
      root = await sources.emptyDirDirectory(volume.name);
    } else {
      throw new ContainerConfigError(
        "CreateContainerConfigError",
        `volume "${volume.name}": only persistentVolumeClaim and emptyDir volumes are supported by the test server`,
      );
    }
    const host = mount.subPath ? await subPathDirectory(root, mount.subPath) : root;
    binds.push(`${host}:${mount.mountPath}${readOnly ? ":ro" : ""}`);
  }
  return binds;
}

async function subPathDirectory(root: string, subPath: string): Promise<string> {
  const clean = normalize(subPath);
  if (isAbsolute(subPath) || clean === ".." || clean.startsWith(`..${sep}`)) {
    throw new ContainerConfigError(
      "CreateContainerConfigError",
      `failed to prepare subPath for volumeMount: subPath "${subPath}" must be a relative path without '..'`,
    );
  }
  const directory = join(root, clean);
  // Any uid in the container may write, like the local-path provisioner's 0777 directories.
  await mkdir(directory, { recursive: true });
  await chmod(directory, 0o777);
  return directory;
}
