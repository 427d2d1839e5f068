import type { Status } from "kubernetes-types/meta/v1.js";

/** Subprotocols served, best first. v5 adds the close-stream message (channel 255). */
export const EXEC_SUBPROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"] as const;
export type ExecSubprotocol = (typeof EXEC_SUBPROTOCOLS)[number];

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
/** v5 only: `[255, channel]` says the sender will write no more on that channel. */
export const CLOSE = 255;

/** The first subprotocol the client offers that this server speaks, as the apiserver picks. */
export function pickSubprotocol(offered: Iterable<string>): ExecSubprotocol | undefined {
  const set = new Set(offered);
  return EXEC_SUBPROTOCOLS.find((protocol) => set.has(protocol));
}

/** One message: the channel byte then the payload. */
export function frame(channel: number, payload: Buffer | string): Buffer {
  const body = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  return Buffer.concat([Buffer.from([channel]), body]);
}

/**
 * The status on the error channel when the command ends (remotecommand v4+): `Success`, or
 * `Failure` with reason `NonZeroExitCode` and the code in an `ExitCode` cause, as kubectl reads it.
 */
export function exitStatus(command: string[], exitCode: number): Status {
  if (exitCode === 0) return { metadata: {}, status: "Success" };
  return {
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: error executing command [${command.join(" ")}], exit code ${exitCode}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(exitCode) }] },
  };
}

/** A failure that is not an exit code (the command could not be started, the stream broke). */
export function internalErrorStatus(message: string): Status {
  return { metadata: {}, status: "Failure", message, reason: "InternalError", code: 500 };
}
