import type { ServerResponse } from "node:http";
import { matchesFields, parseFieldSelector } from "../api/field-selector.js";
import { matchesLabels, parseLabelSelector } from "../api/label-selector.js";
import { badRequest } from "../api/status.js";
import { statusOf } from "../http/reply.js";
import type { KubeObject, ObjectStore, Stored } from "../store/object-store.js";
import type { ResourceVersions } from "../store/resource-versions.js";

type Matcher = (object: KubeObject) => boolean;

function selectorOf(query: URLSearchParams): Matcher {
  const labels = parseLabelSelector(query.get("labelSelector"));
  const fields = parseFieldSelector(query.get("fieldSelector"));
  return (object) =>
    matchesLabels(labels, object.metadata?.labels) && matchesFields(fields, object);
}

/**
 * The `{Kind}List` answer of a list: matching items (without kind and apiVersion, as the API
 * writes list items) and the store's current resourceVersion to start a watch from.
 */
export function listBody<T extends KubeObject>(
  store: ObjectStore<T>,
  versions: ResourceVersions,
  namespace: string,
  query: URLSearchParams,
): object {
  const matches = selectorOf(query);
  const items = store
    .list(namespace)
    .filter(matches)
    .map(({ apiVersion: _apiVersion, kind: _kind, ...item }) => item);
  return {
    kind: `${store.names.kind}List`,
    apiVersion: store.names.apiVersion,
    metadata: { resourceVersion: String(versions.latest()) },
    items,
  };
}

/**
 * Serves `?watch=true`: one JSON event per line (`{"type":"ADDED","object":{...}}`). Without a
 * resourceVersion (or "0") it starts with an ADDED for every current match; with one it replays
 * the changes after it, or sends an `ERROR` event with the 410 Expired Status when the history
 * no longer reaches back that far. An object that starts or stops matching the selector arrives
 * as ADDED or DELETED, as kube-apiserver's watch filter does.
 */
export function serveWatch<T extends KubeObject>(
  store: ObjectStore<T>,
  versions: ResourceVersions,
  namespace: string,
  query: URLSearchParams,
  response: ServerResponse,
  onClose: (stop: () => void) => void,
): void {
  const matches = selectorOf(query);
  const requested = query.get("resourceVersion");
  const since =
    requested === null || requested === "" || requested === "0" ? undefined : Number(requested);
  if (since !== undefined && !Number.isInteger(since)) {
    throw badRequest(`invalid resource version: ${requested}`);
  }
  response.writeHead(200, { "content-type": "application/json", "cache-control": "no-cache" });
  response.flushHeaders();
  const send = (type: string, object: unknown) => {
    if (!response.writableEnded) response.write(`${JSON.stringify({ type, object })}\n`);
  };
  let unsubscribe: () => void = () => undefined;
  const stop = () => {
    unsubscribe();
    if (!response.writableEnded) response.end();
  };
  try {
    const inNamespace = (object: Stored<T>) => object.metadata.namespace === namespace;
    let from = since;
    if (from === undefined) {
      // Synchronous list then subscribe: no change can slip in between.
      for (const object of store.list(namespace).filter(matches)) send("ADDED", object);
      from = versions.latest();
    }
    unsubscribe = store.subscribe(from, (event) => {
      if (!inNamespace(event.object)) return;
      const now = matches(event.object);
      const before = event.previous !== undefined && matches(event.previous);
      if (event.type === "ADDED" && now) send("ADDED", event.object);
      else if (event.type === "MODIFIED" && now) send(before ? "MODIFIED" : "ADDED", event.object);
      else if (event.type === "MODIFIED" && before) send("DELETED", event.object);
      else if (event.type === "DELETED" && before) send("DELETED", event.object);
    });
  } catch (error) {
    send("ERROR", statusOf(error));
    response.end();
    return;
  }
  const timeout = Number(query.get("timeoutSeconds") ?? "0");
  const timer = timeout > 0 ? setTimeout(stop, timeout * 1000) : undefined;
  // The response's close is the client going away (the request's may come as soon as its
  // empty body is read).
  response.on("close", () => {
    if (timer !== undefined) clearTimeout(timer);
    stop();
  });
  onClose(stop);
}
