import type { IncomingMessage } from "node:http";
import type { InstanceFate } from "@sandbox/core";
import type Docker from "dockerode";
import { z } from "zod";

/** The container actions that can mean a container stopped running. */
export const DEATH_ACTIONS = ["die", "stop", "kill", "oom", "destroy"] as const;

/** One of {@link DEATH_ACTIONS}, for one container. */
export interface ContainerEvent {
  action: (typeof DEATH_ACTIONS)[number];
  containerId: string;
  /** The signal of a `kill` event (9 for SIGKILL); `undefined` for other actions. */
  signal: number | undefined;
}

// The daemon's event line. Old engines put the action in `status` and the id in `id`; newer ones
// in `Action` and `Actor.ID` (and still send the old fields). Only what is read is checked.
const EventLineSchema = z.object({
  Type: z.string().optional(),
  Action: z.string().optional(),
  status: z.string().optional(),
  id: z.string().optional(),
  Actor: z
    .object({
      ID: z.string().optional(),
      Attributes: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
});

const MAX_LINE_BYTES = 64 * 1024;
const SIGKILL = 9;

/**
 * The fate an event gives its container: `dead` when it stopped, was removed, or got SIGKILL;
 * `dying` for another signal, or an out-of-memory kill that may have hit only one process in
 * it: then only Docker can say whether it still runs.
 */
export function fateOf(event: ContainerEvent): InstanceFate {
  if (event.action === "oom") return "dying";
  if (event.action === "kill" && event.signal !== SIGKILL) return "dying";
  return "dead";
}

/** Parses one line of `GET /events`; `undefined` for anything that is not a death action. */
export function parseContainerEvent(line: string): ContainerEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = EventLineSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const event = parsed.data;
  if (event.Type !== undefined && event.Type !== "container") return undefined;
  // `kill` and `die` carry no suffix, but `exec_die: …`-style actions do: keep the first word.
  const action = (event.Action ?? event.status ?? "").split(":")[0]?.trim();
  const containerId = event.Actor?.ID ?? event.id;
  if (!containerId || !DEATH_ACTIONS.includes(action as ContainerEvent["action"])) return undefined;
  const signal = Number(event.Actor?.Attributes?.signal);
  return {
    action: action as ContainerEvent["action"],
    containerId,
    signal: action === "kill" && Number.isInteger(signal) ? signal : undefined,
  };
}

/** What a {@link ContainerEventStream} follows and whom it tells. */
export interface ContainerEventStreamOptions {
  docker: Docker;
  /** Docker `label` filters: only this provider's containers (see `prefixFilter`). */
  labels: string[];
  onEvent(event: ContainerEvent): void;
  /**
   * Called once each connection is open, before the stream counts as live: the place to catch up
   * on deaths missed while it was down. A rejection drops the connection (and retries).
   */
  onConnected(): Promise<void>;
  /** First delay before reconnecting; doubles per failed attempt up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

// Ask for events from a little before the connection: the daemon flushes its response headers
// before it subscribes, and replays what it saw since then, so nothing falls into that gap.
const REPLAY_SECONDS = 2;

/**
 * Follows the daemon's event stream (`GET /events`) for this provider's containers and reports
 * every death action as it happens. When the stream drops (daemon restart, socket gone, proxy
 * timeout) it reconnects with exponential backoff; {@link live} is false meanwhile, so callers
 * know to ask Docker directly. The connection and its timers are unref'd: following events never
 * keeps the process alive.
 *
 * @example
 * ```ts
 * const events = new ContainerEventStream({
 *   docker, labels: ["dev.sandbox.prefix=sandbox"],
 *   onEvent: (event) => console.log(event.action, event.containerId),
 *   onConnected: async () => undefined,
 * });
 * events.start();
 * // … later
 * events.close();
 * ```
 */
export class ContainerEventStream {
  readonly #options: ContainerEventStreamOptions;
  readonly #initialBackoffMs: number;
  readonly #maxBackoffMs: number;
  #live = false;
  #closed = false;
  #started = false;
  #failures = 0;
  // Each connection attempt has a number; callbacks of an older one are ignored.
  #generation = 0;
  #response: IncomingMessage | undefined;
  #abort: AbortController | undefined;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(options: ContainerEventStreamOptions) {
    this.#options = options;
    this.#initialBackoffMs = options.initialBackoffMs ?? 100;
    this.#maxBackoffMs = options.maxBackoffMs ?? 2000;
  }

  /** True while connected and caught up: every death from now on will be reported. */
  get live(): boolean {
    return this.#live;
  }

  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    void this.#connect();
  }

  /** Ends the stream for good. */
  close(): void {
    this.#closed = true;
    this.#live = false;
    clearTimeout(this.#retryTimer);
    this.#abort?.abort();
    this.#response?.destroy();
    this.#response = undefined;
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    this.#generation += 1;
    const generation = this.#generation;
    const abort = new AbortController();
    this.#abort = abort;
    let response: IncomingMessage;
    try {
      response = (await this.#options.docker.getEvents({
        since: Math.floor(Date.now() / 1000) - REPLAY_SECONDS,
        filters: {
          type: ["container"],
          event: [...DEATH_ACTIONS],
          label: this.#options.labels,
        },
        abortSignal: abort.signal,
      } as Parameters<Docker["getEvents"]>[0])) as unknown as IncomingMessage;
    } catch {
      this.#dropped(generation);
      return;
    }
    if (this.#closed || generation !== this.#generation) {
      response.destroy();
      return;
    }
    response.socket?.unref();
    this.#response = response;
    this.#read(response, generation);
    try {
      await this.#options.onConnected();
    } catch {
      response.destroy();
      return;
    }
    if (this.#response === response && !this.#closed) {
      this.#live = true;
      this.#failures = 0;
    }
  }

  #read(response: IncomingMessage, generation: number): void {
    let pending = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      pending += chunk;
      let newline = pending.indexOf("\n");
      while (newline >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        const event = line ? parseContainerEvent(line) : undefined;
        if (event) this.#options.onEvent(event);
        newline = pending.indexOf("\n");
      }
      // A line this long is not an event of ours; drop it rather than grow without bound.
      if (pending.length > MAX_LINE_BYTES) pending = "";
    });
    const dropped = () => this.#dropped(generation);
    response.once("end", dropped);
    response.once("close", dropped);
    response.on("error", dropped);
  }

  #dropped(generation: number): void {
    if (generation !== this.#generation) return;
    // Invalidate this connection's remaining callbacks.
    this.#generation += 1;
    this.#live = false;
    this.#response?.destroy();
    this.#response = undefined;
    if (this.#closed) return;
    const delay = Math.min(this.#maxBackoffMs, this.#initialBackoffMs * 2 ** this.#failures);
    this.#failures += 1;
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
    this.#retryTimer.unref();
  }
}
