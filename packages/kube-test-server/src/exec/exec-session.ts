import type { Duplex } from "node:stream";
import { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type Docker from "dockerode";
import type { WebSocket } from "ws";
import {
  CLOSE,
  ERROR,
  type ExecSubprotocol,
  exitStatus,
  frame,
  internalErrorStatus,
  RESIZE,
  STDERR,
  STDIN,
  STDOUT,
} from "./channel-protocol.js";

/** The `pods/exec` query, already parsed. */
export interface ExecRequest {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/**
 * Runs one `pods/exec` session over an accepted WebSocket: a Docker exec in `container`, its
 * output on channels 1 and 2 (one stream on 1 with a TTY), stdin from channel 0, resizes from
 * channel 4, and the exit status on channel 3 before a normal close. With v5 the client's
 * `[255, 0]` closes stdin (EOF) while output keeps flowing; with v4 stdin ends with the socket.
 */
export async function runExecSession(
  socket: WebSocket,
  protocol: ExecSubprotocol,
  container: Docker.Container,
  request: ExecRequest,
): Promise<void> {
  // Messages can arrive before Docker answers; keep them in order until the stream exists.
  const pending: Buffer[] = [];
  let stream: Duplex | undefined;
  let exec: Docker.Exec | undefined;
  let stdinClosed = false;
  // A resize is an HTTP call to Docker; later stdin waits for it, so a program started after a
  // resize sees the new size (the order the client sent them in).
  let inputOrder: Promise<void> = Promise.resolve();
  const handle = (message: Buffer) => {
    const target = stream;
    if (target === undefined) {
      pending.push(message);
      return;
    }
    const channel = message[0];
    const payload = message.subarray(1);
    if (channel === STDIN && request.stdin && !stdinClosed) {
      inputOrder = inputOrder.then(() => {
        target.write(payload);
      });
    } else if (channel === RESIZE && request.tty) {
      inputOrder = inputOrder.then(() => resize(exec, payload));
    } else if (channel === CLOSE && protocol === "v5.channel.k8s.io" && payload[0] === STDIN) {
      stdinClosed = true;
      inputOrder = inputOrder.then(() => {
        target.end();
      });
    }
  };
  socket.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => handle(toBuffer(data)));
  socket.on("close", () => stream?.destroy());

  try {
    exec = await container.exec({
      Cmd: request.command,
      AttachStdin: request.stdin,
      AttachStdout: request.stdout,
      AttachStderr: request.stderr,
      Tty: request.tty,
    });
    stream = (await exec.start({ hijack: true, stdin: request.stdin, Tty: request.tty })) as Duplex;
  } catch (error) {
    finish(socket, internalErrorStatus((error as Error).message));
    return;
  }
  if (socket.readyState !== socket.OPEN) {
    // The client left while Docker was starting the exec: nobody reads it, stdin would never end.
    stream.destroy();
    return;
  }
  const ended = new Promise<void>((resolve) => {
    stream?.on("end", resolve);
    stream?.on("close", resolve);
    stream?.on("error", () => resolve());
  });
  const out = channelWriter(socket, STDOUT);
  const err = channelWriter(socket, STDERR);
  if (request.tty) stream.pipe(out);
  else container.modem.demuxStream(stream, out, err);
  for (const message of pending.splice(0)) handle(message);

  await ended;
  // Output still queued in the writers goes out before the status, as the channel order says.
  for (const writer of [out, err]) if (!writer.writableEnded) writer.end();
  await Promise.all([finished(out), finished(err)]).catch(() => undefined);
  if (socket.readyState !== socket.OPEN) return;
  finish(socket, exitStatus(request.command, await exitCodeOf(exec)));
}

function finish(socket: WebSocket, status: object): void {
  if (socket.readyState !== socket.OPEN) return;
  socket.send(frame(ERROR, JSON.stringify(status)), () => socket.close(1000));
}

function channelWriter(socket: WebSocket, channel: number): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (socket.readyState !== socket.OPEN) {
        callback();
        return;
      }
      socket.send(frame(channel, chunk), () => callback());
    },
  });
}

/** The exit code once Docker has recorded it (the stream can end a moment before). */
async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  for (;;) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function resize(exec: Docker.Exec | undefined, payload: Buffer): Promise<void> {
  let size: { Width?: number; Height?: number };
  try {
    size = JSON.parse(payload.toString("utf8"));
  } catch {
    return; // A malformed resize is dropped, as the kubelet drops it.
  }
  if (size.Width && size.Height) {
    await exec?.resize({ w: size.Width, h: size.Height }).catch(() => undefined);
  }
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
