import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * What the contract suite hands a provider factory: fresh directories per group, removed after.
 *
 * @example
 * ```ts
 * const create = ({ baseDir, skillsDir }: ProviderContractContext) =>
 *   createMyProvider({ baseDir, skillsDir }); // skillsDir shown read-only at /mnt/skills
 * ```
 */
export interface ProviderContractContext {
  /** A fresh temporary directory for this suite; use it as the provider's baseDir. */
  baseDir: string;
  /** A host directory of sample skills (contains `demo/SKILL.md` with the text "demo skill"); the provider must map it read-only at /mnt/skills. */
  skillsDir: string;
}

/** The text of the sample skill, so tests can tell it was read through the mapping. */
export const DEMO_SKILL_TEXT = "# Demo\n\ndemo skill\n";

/**
 * A directory next to `skillsDir` whose name starts like it (`skills-secret` beside `skills`): a
 * containment check that compares strings instead of whole path segments lets a symlink reach it.
 */
export const SIBLING_SECRET_DIR = "skills-secret";

/** What the file in {@link SIBLING_SECRET_DIR} holds; no file call may ever return it. */
export const SIBLING_SECRET_TEXT = "sibling secret: never readable through /mnt/skills\n";

/** One group's temporary directories, and every host spelling of them that must never leak. */
export interface ContractFixture {
  readonly context: ProviderContractContext;
  /** The temporary root holding `base/` and `skills/`: `..` escapes from baseDir land here. */
  readonly root: string;
  /** The root as written and as resolved (macOS `/var` is `/private/var`). */
  readonly hostPrefixes: readonly string[];
  /** Removes the directories; best effort, since a container may have left root-owned files. */
  dispose(): Promise<void>;
}

/**
 * Makes `{tmp}/sandbox-contract-XXXX/{base,skills,skills-secret}` with the sample skill in place.
 *
 * baseDir sits one level below a root the suite owns, so a bad id that escapes baseDir
 * (`../x`) still lands somewhere the id tests can see.
 */
export async function createContractFixture(): Promise<ContractFixture> {
  const root = await mkdtemp(join(tmpdir(), "sandbox-contract-"));
  const baseDir = join(root, "base");
  const skillsDir = join(root, "skills");
  await mkdir(baseDir);
  await mkdir(join(skillsDir, "demo"), { recursive: true });
  await writeFile(join(skillsDir, "demo", "SKILL.md"), DEMO_SKILL_TEXT);
  await mkdir(join(root, SIBLING_SECRET_DIR));
  await writeFile(join(root, SIBLING_SECRET_DIR, "key.txt"), SIBLING_SECRET_TEXT);
  const realRoot = await realpath(root);
  return {
    context: { baseDir, skillsDir },
    root,
    hostPrefixes: [...new Set([root, realRoot])],
    async dispose() {
      try {
        await rm(root, { recursive: true, force: true, maxRetries: 3 });
      } catch (error) {
        console.warn(`contract suite: could not remove ${root}: ${(error as Error).message}`);
      }
    },
  };
}
