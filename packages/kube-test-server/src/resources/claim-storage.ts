import { chmod, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { PersistentVolumeClaim } from "kubernetes-types/core/v1.js";
import type { Stored } from "../store/object-store.js";

/**
 * Host directories behind PersistentVolumeClaims: one per claim, named after the bound volume
 * (`pvc-{uid}`), like the local-path provisioner. Removed with the claim (reclaim policy Delete).
 */
export class ClaimStorage {
  private readonly directories = new Map<string, string>();

  constructor(private readonly root: string) {}

  /** Creates the claim's directory and returns the spec and status a bound claim has. */
  async provision(claim: Stored<PersistentVolumeClaim>): Promise<Stored<PersistentVolumeClaim>> {
    const volumeName = `pvc-${claim.metadata.uid}`;
    const directory = join(this.root, volumeName);
    await mkdir(directory, { recursive: true });
    // Any uid in a pod may write, as with the local-path provisioner's 0777 directories.
    await chmod(directory, 0o777);
    this.directories.set(key(claim.metadata.namespace, claim.metadata.name), directory);
    const requested = claim.spec?.resources?.requests?.storage;
    return {
      ...claim,
      spec: { ...claim.spec, volumeName, volumeMode: claim.spec?.volumeMode ?? "Filesystem" },
      status: {
        phase: "Bound",
        accessModes: claim.spec?.accessModes ?? ["ReadWriteOnce"],
        ...(requested === undefined ? {} : { capacity: { storage: requested } }),
      },
    };
  }

  /** The host directory of a claim, undefined when there is no such claim. */
  directory(namespace: string, name: string): string | undefined {
    return this.directories.get(key(namespace, name));
  }

  async release(namespace: string, name: string): Promise<void> {
    const directory = this.directories.get(key(namespace, name));
    this.directories.delete(key(namespace, name));
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  }
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
