/** Label on every Docker container this server starts; the value is the server instance's id. */
export const INSTANCE_LABEL = "sandbox.kube-test-server/instance";
/** Labels naming the Pod a container backs, for debugging with `docker ps`. */
export const NAMESPACE_LABEL = "sandbox.kube-test-server/namespace";
export const POD_LABEL = "sandbox.kube-test-server/pod";
export const POD_UID_LABEL = "sandbox.kube-test-server/pod-uid";
export const CONTAINER_LABEL = "sandbox.kube-test-server/container";
/** Host name and pid of the process whose server created the container (for the orphan sweep). */
export const HOST_LABEL = "sandbox.kube-test-server/host";
export const PID_LABEL = "sandbox.kube-test-server/pid";
