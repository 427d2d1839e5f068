import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { SandboxError } from "@sandbox/core";
import type Docker from "dockerode";
import { demultiplex } from "../../docker/exec-demux.js";
import {
  type ExecSpec,
  execStartError,
  exitCodeOf,
  type RunningExec,
} from "../../docker/exec-process.js";
import { CommandFrames } from "./command-frames.js";
import {
  encodeRequest,
  HELLO_WITH_PROC,
  HELLO_WITHOUT_PROC,
  RESIDENT_SHELL_SCRIPT,
  type ShellRequest,
} from "./shell-protocol.js";

// The hijacked connection of an attached exec is a plain socket, which can be unref'd so that an
// idle session never keeps the process alive.
type HijackedStream = Duplex & Partial<Pick<Socket, "ref" | "unref">>;

/** A resident shell could not be started; `permanent` when retrying on this container is futile. */
export class ResidentShellUnavailable extends Error {
  readonly permanent: boolean;

  constructor(message: string, permanent: boolean, options?: ErrorOptions) {
    super(message, options);
    this.name = "ResidentShellUnavailable";
    this.permanent = permanent;
  }
}

/**
 * Rejects a command's `exited` when its shell went away before the command began, so nothing ran
 * and the command can be run another way.
 */
export class CommandNotStarted extends Error {
  constructor() {
    super("The resident shell went away before the command started");
    this.name = "CommandNotStarted";
  }
}

const HELLO_TIMEOUT_MS = 10_000;
const MAX_HELLO_BYTES = 256;
const NEWLINE = 0x0a;

/** A command encoded for a session, once, before a session is picked. */
export interface PreparedCommand {
  readonly spec: ExecSpec;
  readonly nonce: string;
  readonly request: Buffer;
}

function requestOf(spec: ExecSpec): ShellRequest {
  return {
    argv: spec.cmd,
    env: spec.env ?? [],
    ...(spec.workingDir === undefined ? {} : { cwd: spec.workingDir }),
  };
}

interface ActiveCommand {
  frames: CommandFrames;
  resolve: (exitCode: number) => void;
  reject: (error: Error) => void;
}

/**
 * One resident shell session in a container: a long-lived attached `docker exec` of `/bin/sh`
 * that runs one command at a time (see `shell-protocol.ts`). A command costs a fork in the
 * container and a write and a read on an open connection, instead of a Docker exec.
 *
 * The session retires itself (and is never reused) when a command leaves a process holding its
 * output, when bytes that belong to no command appear, when a command is detached before it
 * ends, or when its connection closes.
 *
 * @example
 * ```ts
 * const shell = await ResidentShell.start(container);
 * const running = shell.run({ cmd: ["/bin/sh", "-c", "ls"], onStdout: console.log });
 * console.log(await running?.exited);
 * ```
 */
export class ResidentShell {
  readonly #exec: Docker.Exec;
  readonly #stream: HijackedStream;
  // starting: waiting for the hello; ready: takes commands; over: closed, retired or gone.
  #state: "starting" | "ready" | "over" = "starting";
  #hello = Buffer.alloc(0);
  #greeted: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #current: ActiveCommand | undefined;
  // The connection has closed: nothing left to end or destroy.
  #gone = false;

  private constructor(exec: Docker.Exec, stream: HijackedStream) {
    this.#exec = exec;
    this.#stream = stream;
    demultiplex(stream, {
      onStdout: (chunk) => this.#onStdout(chunk),
      onStderr: (chunk) => this.#onStderr(chunk),
    });
    const gone = () => this.#onGone();
    stream.once("end", gone);
    stream.once("close", gone);
    // `on`, not `once`: the session lives long, and a second error must not go unhandled.
    stream.on("error", gone);
  }

  /**
   * Starts a session and waits for the shell's hello.
   *
   * @throws {ResidentShellUnavailable} when the shell does not answer, or cannot see its own
   *   file descriptors under `/proc` (then it could never tell when reuse is safe).
   * @throws {SandboxError} `SANDBOX_NOT_FOUND` when the container is gone or stopped.
   */
  static async start(
    container: Docker.Container,
    helloTimeoutMs = HELLO_TIMEOUT_MS,
  ): Promise<ResidentShell> {
    let exec: Docker.Exec;
    let stream: HijackedStream;
    try {
      exec = await container.exec({
        Cmd: ["/bin/sh", "-c", RESIDENT_SHELL_SCRIPT],
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
      });
      stream = (await exec.start({ hijack: true, stdin: true })) as HijackedStream;
    } catch (error) {
      throw execStartError(error);
    }
    const shell = new ResidentShell(exec, stream);
    await shell.#awaitHello(helloTimeoutMs);
    return shell;
  }

  /**
   * Encodes `spec` for any session, or returns `undefined` when sessions do not take it (see
   * `encodeRequest`): it then runs another way.
   */
  static prepare(spec: ExecSpec): PreparedCommand | undefined {
    const nonce = randomBytes(16).toString("hex");
    const request = encodeRequest(requestOf(spec), nonce);
    return request && { spec, nonce, request };
  }

  /** Whether the session can take a command now. */
  get available(): boolean {
    return this.#state === "ready" && this.#current === undefined;
  }

  /** Whether the session is over for good (closed, retired or disconnected). */
  get retired(): boolean {
    return this.#state === "over";
  }

  /**
   * Runs a prepared command, or returns `undefined` when the session is busy or over. `exited`
   * rejects with {@link CommandNotStarted} if the session went away before the command began;
   * `detach()` before the end retires the session.
   */
  run(prepared: PreparedCommand): RunningExec | undefined {
    if (!this.available) return undefined;
    const { spec, nonce, request } = prepared;
    const frames = new CommandFrames(nonce, {
      onStdout: spec.onStdout ?? (() => undefined),
      onStderr: spec.onStderr ?? (() => undefined),
    });
    const exited = new Promise<number>((resolve, reject) => {
      this.#current = { frames, resolve, reject };
    });
    exited.catch(() => undefined);
    this.#stream.ref?.();
    this.#stream.write(request);
    return {
      exited,
      detach: () => {
        if (this.#current?.frames !== frames) return;
        this.#current = undefined;
        this.#retire();
      },
    };
  }

  /** Ends the session: the shell exits after the command it is running, if any. */
  close(): void {
    this.#state = "over";
    if (this.#gone) return;
    this.#stream.end();
    if (!this.#current) this.#stream.unref?.();
  }

  #awaitHello(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#retire();
        reject(new ResidentShellUnavailable("The resident shell did not say hello", false));
      }, timeoutMs);
      timer.unref();
      this.#greeted = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }

  #onStdout(chunk: Buffer): void {
    if (this.#state === "starting") {
      this.#readHello(chunk);
      return;
    }
    const current = this.#current;
    if (!current) {
      this.#retire();
      return;
    }
    current.frames.pushStdout(chunk);
    this.#settle(current);
  }

  #onStderr(chunk: Buffer): void {
    const current = this.#current;
    if (!current) {
      // Before the hello, the shell may complain about its environment; it is not output.
      if (this.#state === "ready") this.#retire();
      return;
    }
    current.frames.pushStderr(chunk);
    this.#settle(current);
  }

  #readHello(chunk: Buffer): void {
    const hello = Buffer.concat([this.#hello, chunk]);
    const newline = hello.indexOf(NEWLINE);
    if (newline < 0) {
      this.#hello = hello;
      if (hello.length > MAX_HELLO_BYTES) this.#failHello("an unexpected greeting", false);
      return;
    }
    const line = hello.subarray(0, newline + 1).toString("latin1");
    if (line === HELLO_WITHOUT_PROC) {
      this.#failHello("no access to /proc, so it cannot tell when reuse is safe", true);
    } else if (line !== HELLO_WITH_PROC || newline + 1 < hello.length) {
      this.#failHello("an unexpected greeting", false);
    } else {
      this.#state = "ready";
      // Held (ref'd) only while a command runs: an idle session must not keep the process up.
      this.#stream.unref?.();
      this.#greeted?.resolve();
    }
  }

  #failHello(reason: string, permanent: boolean): void {
    this.#retire();
    this.#greeted?.reject(
      new ResidentShellUnavailable(`The resident shell gave ${reason}`, permanent),
    );
  }

  #settle(current: ActiveCommand): void {
    if (current.frames.broken) {
      this.#current = undefined;
      this.#retire();
      current.reject(
        new SandboxError("IO_ERROR", "The command's output framing was broken; its result is lost"),
      );
      return;
    }
    const exit = current.frames.exit;
    if (!exit) return;
    this.#current = undefined;
    if (exit.held || current.frames.stray) this.#retire();
    else this.#stream.unref?.();
    current.resolve(exit.exitCode);
  }

  #retire(): void {
    this.#state = "over";
    if (!this.#gone) this.#stream.destroy();
  }

  #onGone(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#state = "over";
    this.#greeted?.reject(
      new ResidentShellUnavailable("The resident shell's connection closed", false),
    );
    const current = this.#current;
    this.#current = undefined;
    if (!current) return;
    current.frames.flush();
    if (!current.frames.started) {
      current.reject(new CommandNotStarted());
      return;
    }
    // The shell died under the command (killed with it, or the container stopped): report what
    // Docker says of the session, as a one-shot exec would.
    exitCodeOf(this.#exec).then(current.resolve, (error: unknown) =>
      current.reject(execStartError(error)),
    );
  }
}
