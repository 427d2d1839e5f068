/**
 * `@sandbox/kube-test-server`: a Kubernetes API server for tests. It serves the endpoints a
 * pod-per-thread provider uses (pods with list/watch, persistentvolumeclaims, leases,
 * networkpolicies (stored only) and `pods/exec` over WebSocket), backing each Pod with a Docker container and each PVC with a host
 * directory. Private to this monorepo.
 */

export { type LabelRequirement, matchesLabels, parseLabelSelector } from "./api/label-selector.js";
export { LeaseSchema, PersistentVolumeClaimSchema, PodSchema } from "./api/schemas.js";
export type { KubeconfigFile } from "./kubeconfig.js";
export { INSTANCE_LABEL } from "./pods/labels.js";
export {
  type KubeTestServerOptions,
  type RunningKubeTestServer,
  startKubeTestServer,
} from "./server.js";
