import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { Pod } from "kubernetes-types/core/v1.js";
import type { WebSocketServer } from "ws";
import { badRequest, KubeApiError, notFound } from "../api/status.js";
import { checkBearerToken } from "../http/bearer-auth.js";
import { statusOf } from "../http/reply.js";
import { parseResourcePath } from "../http/routes.js";
import type { PodRuntime } from "../pods/pod-runtime.js";
import type { ObjectStore } from "../store/object-store.js";
import { pickSubprotocol } from "./channel-protocol.js";
import { type ExecRequest, runExecSession } from "./exec-session.js";

/**
 * The HTTP server's `upgrade` listener for `pods/exec`. Authentication, the pod, the container
 * and the query are checked before the upgrade, so a refusal is an HTTP answer carrying a
 * Status, as kube-apiserver gives it; an accepted socket runs one exec session.
 */
export function execUpgradeListener(input: {
  token: string | undefined;
  pods: ObjectStore<Pod>;
  runtime: PodRuntime;
  sockets: WebSocketServer;
}): (request: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const { pods, runtime, sockets } = input;
  return (request, socket, head) => {
    try {
      checkBearerToken(request, input.token);
      const url = new URL(request.url ?? "/", "http://localhost");
      const path = parseResourcePath(url.pathname);
      if (
        path === undefined ||
        path.group !== "" ||
        path.resource !== "pods" ||
        path.subresource !== "exec" ||
        path.name === undefined
      ) {
        throw new KubeApiError(404, "NotFound", "the server could not find the requested resource");
      }
      const offered = (request.headers["sec-websocket-protocol"] ?? "")
        .split(",")
        .map((p) => p.trim());
      const protocol = pickSubprotocol(offered);
      if (protocol === undefined) {
        throw badRequest(
          `none of the offered subprotocols (${offered.join(", ")}) is served; use v5.channel.k8s.io or v4.channel.k8s.io`,
        );
      }
      const pod = pods.get(path.namespace, path.name);
      if (pod === undefined) throw notFound("", "pods", path.name);
      const execRequest = execRequestOf(url.searchParams);
      const container = runtime.execTarget(pod, url.searchParams.get("container") ?? undefined);
      sockets.handleUpgrade(request, socket, head, (ws) => {
        void runExecSession(ws, protocol, container, execRequest).catch(() => ws.terminate());
      });
    } catch (error) {
      const status = statusOf(error);
      const body = JSON.stringify(status);
      socket.end(
        `HTTP/1.1 ${status.code} ${status.reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    }
  };
}

/** The exec query: `command` repeated, the stream flags; at least one command and one stream. */
export function execRequestOf(query: URLSearchParams): ExecRequest {
  const flag = (name: string) => {
    const value = query.get(name);
    return value === "true" || value === "1";
  };
  const command = query.getAll("command");
  if (command.length === 0) throw badRequest("you must specify at least 1 command");
  const request = {
    command,
    stdin: flag("stdin"),
    stdout: flag("stdout"),
    stderr: flag("stderr"),
    tty: flag("tty"),
  };
  if (!request.stdin && !request.stdout && !request.stderr) {
    throw badRequest("you must specify at least 1 of stdin, stdout, stderr");
  }
  // The kubelet drops stderr with a TTY (a terminal has one output stream) rather than failing.
  if (request.tty) request.stderr = false;
  return request;
}
