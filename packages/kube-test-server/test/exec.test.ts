import { PassThrough, Readable } from "node:stream";
import { Exec, type V1Status } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  type Cluster,
  dockerReady,
  NAMESPACE,
  runningPod,
  sleeperPod,
  startCluster,
} from "./support.js";

let cluster: Cluster;
beforeAll(async () => {
  if (!dockerReady) return;
  cluster = await startCluster();
  await cluster.core.createNamespacedPod({ namespace: NAMESPACE, body: sleeperPod("shell") });
  await runningPod(cluster, "shell");
});
afterAll(async () => {
  await cluster?.server.close();
});

interface ExecOutcome {
  stdout: string;
  stderr: string;
  status: V1Status;
  protocol: string;
}

/** One command through client-node's Exec (WebSocket, the subprotocols it offers). */
async function clientExec(command: string[], stdin?: Readable, tty = false): Promise<ExecOutcome> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on("data", (chunk: Buffer) => chunks.stdout.push(chunk));
  stderr.on("data", (chunk: Buffer) => chunks.stderr.push(chunk));
  let protocol = "";
  const status = await new Promise<V1Status>((resolve, reject) => {
    new Exec(cluster.kc)
      .exec(NAMESPACE, "shell", "main", command, stdout, stderr, stdin ?? null, tty, resolve)
      .then((socket) => {
        protocol = socket.protocol;
      }, reject);
  });
  return {
    stdout: Buffer.concat(chunks.stdout).toString(),
    stderr: Buffer.concat(chunks.stderr).toString(),
    status,
    protocol,
  };
}

describe.skipIf(!dockerReady)("pods/exec", () => {
  it("negotiates v5.channel.k8s.io with client-node and streams stdout and stderr apart", async () => {
    const outcome = await clientExec(["sh", "-c", "echo out; echo err >&2"]);
    expect(outcome.protocol).toBe("v5.channel.k8s.io");
    expect(outcome.stdout).toBe("out\n");
    expect(outcome.stderr).toBe("err\n");
    expect(outcome.status).toEqual({ metadata: {}, status: "Success" });
  });

  it("delivers large output whole and in order before the status", async () => {
    const outcome = await clientExec(["sh", "-c", "seq 1 400000"]);
    const lines = outcome.stdout.split("\n");
    expect(lines).toHaveLength(400001);
    expect(lines[0]).toBe("1");
    expect(lines[399999]).toBe("400000");
    expect(outcome.status.status).toBe("Success");
  });

  it("reports a non-zero exit as Failure / NonZeroExitCode with an ExitCode cause", async () => {
    const outcome = await clientExec(["sh", "-c", "exit 42"]);
    expect(outcome.status).toMatchObject({
      status: "Failure",
      reason: "NonZeroExitCode",
      details: { causes: [{ reason: "ExitCode", message: "42" }] },
    });
  });

  it("feeds stdin and closes it with the v5 close-stream message (cat sees EOF)", async () => {
    const outcome = await clientExec(
      ["sh", "-c", "cat; echo done"],
      Readable.from([Buffer.from("hello ")]),
    );
    expect(outcome.stdout).toBe("hello done\n");
    expect(outcome.status.status).toBe("Success");
  });

  it("runs with a TTY: one output stream on channel 1", async () => {
    const outcome = await clientExec(
      ["sh", "-c", "tty >/dev/null && echo is-a-tty; echo to-err >&2"],
      undefined,
      true,
    );
    // stderr was asked for too (client-node always asks): with a TTY it shares stdout.
    expect(outcome.stdout.replace(/\r/g, "")).toBe("is-a-tty\nto-err\n");
    expect(outcome.stderr).toBe("");
  });

  it("speaks v4.channel.k8s.io to a client that offers only v4 (output on channel 1, status on channel 3)", async () => {
    const url = `${cluster.server.url.replace("http", "ws")}/api/v1/namespaces/${NAMESPACE}/pods/shell/exec?command=sh&command=-c&command=echo%20v4%3B%20exit%203&stdout=true&stderr=true`;
    const socket = new WebSocket(url, ["v4.channel.k8s.io"]);
    const frames: { channel: number; text: string }[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on("message", (data: Buffer) =>
        frames.push({ channel: data[0] as number, text: data.subarray(1).toString() }),
      );
      socket.on("close", () => resolve());
      socket.on("error", reject);
    });
    expect(socket.protocol).toBe("v4.channel.k8s.io");
    expect(
      frames
        .filter((frame) => frame.channel === 1)
        .map((frame) => frame.text)
        .join(""),
    ).toBe("v4\n");
    const statusFrame = frames.at(-1);
    expect(statusFrame?.channel).toBe(3);
    expect(JSON.parse(statusFrame?.text ?? "{}")).toMatchObject({
      reason: "NonZeroExitCode",
      details: { causes: [{ reason: "ExitCode", message: "3" }] },
    });
  });

  it("answers an exec into a missing pod with a 404 NotFound Status before the upgrade", async () => {
    const url = `${cluster.server.url.replace("http", "ws")}/api/v1/namespaces/${NAMESPACE}/pods/ghost/exec?command=true&stdout=true`;
    const socket = new WebSocket(url, ["v5.channel.k8s.io"]);
    const response = await new Promise<{ status?: number; body: string }>((resolve) => {
      socket.on("unexpected-response", (_request, res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode, body }));
      });
    });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({
      kind: "Status",
      reason: "NotFound",
      code: 404,
    });
  });
});

describe.skipIf(!dockerReady)("pods/exec input channels", () => {
  it("applies a resize (channel 4) before the stdin that follows it", async () => {
    const url = `${cluster.server.url.replace("http", "ws")}/api/v1/namespaces/${NAMESPACE}/pods/shell/exec?command=sh&stdin=true&stdout=true&tty=true`;
    const socket = new WebSocket(url, ["v5.channel.k8s.io"]);
    let output = "";
    const closed = new Promise<void>((resolve, reject) => {
      socket.on("message", (data: Buffer) => {
        if (data[0] === 1) output += data.subarray(1).toString();
      });
      socket.on("close", () => resolve());
      socket.on("error", reject);
    });
    await new Promise((resolve) => socket.on("open", resolve));
    socket.send(
      Buffer.concat([Buffer.from([4]), Buffer.from(JSON.stringify({ Width: 123, Height: 45 }))]),
    );
    socket.send(Buffer.concat([Buffer.from([0]), Buffer.from("stty size; exit\n")]));
    await closed;
    expect(output).toContain("45 123");
  });

  it("refuses an exec into a container that is not running with 400", async () => {
    await cluster.core.createNamespacedPod({
      namespace: NAMESPACE,
      body: {
        metadata: { name: "missing-image" },
        spec: { containers: [{ name: "main", image: "sandbox-test/none:0" }] },
      },
    });
    const url = `${cluster.server.url.replace("http", "ws")}/api/v1/namespaces/${NAMESPACE}/pods/missing-image/exec?command=true&stdout=true`;
    const socket = new WebSocket(url, ["v5.channel.k8s.io"]);
    const status = await new Promise<number | undefined>((resolve) => {
      socket.on("unexpected-response", (_request, response) => resolve(response.statusCode));
    });
    expect(status).toBe(400);
  });
});
