/** A kubeconfig file's content (the `clientcmd` v1 format), as a plain object. */
export interface KubeconfigFile {
  apiVersion: "v1";
  kind: "Config";
  clusters: { name: string; cluster: { server: string; "insecure-skip-tls-verify": true } }[];
  users: { name: string; user: { token?: string } }[];
  contexts: { name: string; context: { cluster: string; user: string; namespace: string } }[];
  "current-context": string;
}

/**
 * A kubeconfig with one context pointing at `server` (plain HTTP) with an optional bearer token.
 * Its JSON text loads with `KubeConfig.loadFromString` (JSON is YAML) or as a kubeconfig file.
 */
export function buildKubeconfig(
  server: string,
  token: string | undefined,
  namespace: string,
): KubeconfigFile {
  const name = "kube-test-server";
  return {
    apiVersion: "v1",
    kind: "Config",
    // client-node 2.x refuses a plain-HTTP server unless TLS verification is marked skipped.
    clusters: [{ name, cluster: { server, "insecure-skip-tls-verify": true } }],
    users: [{ name, user: token === undefined ? {} : { token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace } }],
    "current-context": name,
  };
}
