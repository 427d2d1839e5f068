import type { Sandbox, TerminalAttachment, TerminalOptions, TerminalSession } from "@sandbox/core";
import { beforeAll, expect, it, type TestContext } from "vitest";
import { expectSandboxError } from "./assertions.js";
import type { ProviderSuite } from "./provider-suite.js";

const SIZE = { columns: 77, rows: 21 } as const;

/** Collects a stream session's screen; `waitFor` resolves once `text` has shown. */
function screenOf(session: TerminalSession) {
  let screen = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  session.onData((chunk) => {
    screen += Buffer.from(chunk).toString("utf8");
    for (const waiter of waiters.filter((w) => screen.includes(w.text))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  return {
    get text() {
      return screen;
    },
    waitFor(text: string): Promise<void> {
      if (screen.includes(text)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ text, resolve }));
    },
  };
}

/**
 * `openTerminal` (optional): present exactly when `capabilities.terminal` lists an attachment;
 * a `"stream"` terminal is a real one (size, keys, Ctrl-C, exit status); an `"inherit"` one
 * reports its program's exit status.
 */
export function terminalTests(suite: ProviderSuite): void {
  let sandbox: Sandbox;
  const offered = (): readonly TerminalAttachment[] => suite.capabilities.terminal ?? [];
  const open = (options: TerminalOptions) => {
    if (!sandbox.openTerminal) throw new Error("openTerminal is missing");
    return sandbox.openTerminal(options);
  };
  beforeAll(async () => {
    sandbox = await suite.sandbox("terminal");
  }, suite.timeoutMs);

  it("has openTerminal when capabilities.terminal lists an attachment, and refuses the others", async () => {
    if (offered().length === 0) return;
    expect(typeof sandbox.openTerminal).toBe("function");
    for (const attach of ["stream", "inherit"] as const) {
      if (offered().includes(attach)) continue;
      await expectSandboxError(suite, `openTerminal(attach: ${attach})`, "INVALID_ARGUMENT", () =>
        open({ ...SIZE, attach, command: "exit 0" }),
      );
    }
    await expectSandboxError(suite, "openTerminal(columns: 0)", "INVALID_ARGUMENT", () =>
      open({ columns: 0, rows: 24, attach: offered()[0], command: "exit 0" }),
    );
  });

  const requireStream = (test: TestContext) => suite.requireTerminal(test, "stream");

  it("stream: runs in the workspace at the given size and reports the exit status (capabilities.terminal stream)", async (test) => {
    requireStream(test);
    const session = await open({
      ...SIZE,
      attach: "stream",
      command:
        "[ -t 0 ] && [ -t 1 ] && echo is-a-tty; s=$(stty size 2>/dev/null); echo size:${s:-unreadable}; pwd; echo term-$((40+2)); exit 3",
    });
    const screen = screenOf(session);
    expect(await session.exit).toBe(3);
    expect(screen.text).toContain("is-a-tty");
    // Some images cannot query their terminal (the AIO test image has no devpts entries, and
    // `docker exec -t ... stty size` fails there too); where it can, the size is the one given.
    expect(screen.text).toMatch(/size:(21 77|unreadable)/);
    expect(screen.text).toContain("/mnt/user-data/workspace");
    expect(screen.text).toContain("term-42");
  });

  it("stream: keys reach the program, Ctrl-C interrupts it (capabilities.terminal stream)", async (test) => {
    requireStream(test);
    const session = await open({
      ...SIZE,
      attach: "stream",
      env: { GREETING: "hello" },
      command:
        "read line; echo got-$line-$GREETING; trap 'echo trapped-int; exit 5' INT; echo armed; while :; do sleep 1; done",
    });
    const screen = screenOf(session);
    session.write("abc\r");
    await screen.waitFor("got-abc-hello");
    await screen.waitFor("armed");
    // Resizing is fire-and-forget (its effect is checked through a real terminal by the CLI's
    // tests); here it must simply not disturb the session.
    session.resize(60, 15);
    session.write("\u0003");
    expect(await session.exit).toBe(5);
    expect(screen.text).toContain("trapped-int");
  });

  it("inherit: reports the program's exit status (capabilities.terminal inherit)", async (test) => {
    suite.requireTerminal(test, "inherit");
    const session = await open({ ...SIZE, attach: "inherit", command: "exit 4" });
    expect(session.attach).toBe("inherit");
    expect(await session.exit).toBe(4);
  });
}
