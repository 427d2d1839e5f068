import type {
  AcquireOptions,
  ProviderCapabilities,
  Sandbox,
  SandboxProvider,
  TerminalAttachment,
} from "@sandbox/core";
import { afterAll, beforeAll, expect, type TestContext } from "vitest";
import {
  type ContractFixture,
  createContractFixture,
  type ProviderContractContext,
} from "./context.js";

/** What a group needs from the caller's options. */
export interface ProviderSuiteOptions {
  create(context: ProviderContractContext): SandboxProvider | Promise<SandboxProvider>;
  capabilities?: Partial<ProviderCapabilities> | undefined;
  timeoutMs: number;
  /** The group's name, for the skip record. */
  group?: string;
  /** Where skipped tests are recorded (`group > test title`, reason). */
  skips?: SkipRecord[];
}

/** A test the suite skipped, and why. */
export interface SkipRecord {
  /** `group > test title`. */
  test: string;
  reason: string;
}

/**
 * One group's world: its own temporary directories and provider, set up in `beforeAll` and torn
 * down in `afterAll`, so a group that shuts a provider down never disturbs another group.
 */
export class ProviderSuite {
  readonly #options: ProviderSuiteOptions;
  #fixture: ContractFixture | undefined;
  #provider: SandboxProvider | undefined;
  readonly #providers: SandboxProvider[] = [];

  constructor(options: ProviderSuiteOptions) {
    this.#options = options;
  }

  /** Registers the hooks that build and dispose this group's fixture and provider. */
  register(): void {
    const timeout = this.#options.timeoutMs;
    beforeAll(async () => {
      this.#fixture = await createContractFixture();
      this.#provider = await this.createProvider();
    }, timeout);
    afterAll(async () => {
      const results = await Promise.allSettled(this.#providers.map((p) => p.shutdown()));
      this.#providers.length = 0;
      await this.#fixture?.dispose();
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    }, timeout);
  }

  /** The per-test (and per-hook) timeout the caller asked for. */
  get timeoutMs(): number {
    return this.#options.timeoutMs;
  }

  get context(): ProviderContractContext {
    return this.#fixtureOrThrow().context;
  }

  /** The temporary root that holds baseDir and skillsDir. */
  get root(): string {
    return this.#fixtureOrThrow().root;
  }

  /** Host paths (as written and resolved) that no output or error message may contain. */
  get hostPrefixes(): readonly string[] {
    return this.#fixtureOrThrow().hostPrefixes;
  }

  /** The group's shared provider. */
  get provider(): SandboxProvider {
    if (!this.#provider) throw new Error("contract suite: the provider is created in beforeAll");
    return this.#provider;
  }

  /** The provider's own capabilities with the caller's overrides on top. */
  get capabilities(): ProviderCapabilities {
    return { ...this.provider.capabilities, ...this.#options.capabilities };
  }

  /** A further provider over the same context; it is shut down with the group. */
  async createProvider(): Promise<SandboxProvider> {
    const provider = await this.#options.create(this.context);
    this.#providers.push(provider);
    return provider;
  }

  /** `acquire` then `get`, failing the test when the provider cannot find what it just made. */
  async sandbox(
    threadId?: string,
    options?: AcquireOptions,
    provider: SandboxProvider = this.provider,
  ): Promise<Sandbox> {
    const id = await provider.acquire(threadId, options);
    const sandbox = await provider.get(id);
    expect(sandbox, `get(${JSON.stringify(id)}) right after acquire`).toBeDefined();
    return sandbox as Sandbox;
  }

  /** Skips the running test, with a note, unless the capability is on. */
  requireCapability(test: TestContext, flag: keyof ProviderCapabilities): void {
    if (this.capabilities[flag]) return;
    const reason = `capabilities.${flag} is false`;
    this.#options.skips?.push({ test: `${this.#options.group} > ${test.task.name}`, reason });
    test.skip(reason);
  }

  /** Skips the running test, with a note, unless `capabilities.terminal` lists `attach`. */
  requireTerminal(test: TestContext, attach: TerminalAttachment): void {
    if (this.capabilities.terminal?.includes(attach)) return;
    const reason = `capabilities.terminal lacks "${attach}"`;
    this.#options.skips?.push({ test: `${this.#options.group} > ${test.task.name}`, reason });
    test.skip(reason);
  }

  #fixtureOrThrow(): ContractFixture {
    if (!this.#fixture) throw new Error("contract suite: the fixture is created in beforeAll");
    return this.#fixture;
  }
}
