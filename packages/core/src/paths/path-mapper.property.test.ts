import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { isSandboxError } from "../errors/sandbox-error.js";
import { ensureThreadDirectories, threadDirectories } from "../layout/thread-directories.js";
import { threadMappings } from "../layout/thread-mappings.js";
import { isWithinPath } from "./normalize.js";
import { PathMapper } from "./path-mapper.js";

let base: string;
let mapper: PathMapper;

// Segment names that exist in the fixture (so generated paths walk through real symlinks), plus
// traversal and odd names.
const SEGMENTS = [
  "..",
  ".",
  "",
  "a",
  "sub",
  "up",
  "etc-link",
  "root-link",
  "other-thread",
  "inner-link",
  "dangling",
  "chain",
  "uploads",
  "workspace",
  "ü",
  "日本",
  "passwd",
  "skills-extra",
  "sibling",
];

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "core-property-"));
  const skills = join(base, "skills");
  await mkdir(skills, { recursive: true });
  // A sibling whose name starts like the skills root: "/x/skills-secret" starts with "/x/skills",
  // so only a whole-segment containment check refuses links into it.
  const sibling = join(base, "skills-secret");
  await mkdir(sibling);
  await writeFile(join(sibling, "key"), "secret");
  const mine = threadDirectories(base, "u", "t");
  const theirs = threadDirectories(base, "u", "other");
  await ensureThreadDirectories(mine);
  await ensureThreadDirectories(theirs);
  mapper = new PathMapper(threadMappings(mine, { skillsDir: skills }));
  for (const dir of [mine.workspace, mine.uploads, mine.userData, skills]) {
    await mkdir(join(dir, "sub"), { recursive: true });
    await symlink("..", join(dir, "sub", "up"));
    await symlink("/etc", join(dir, "etc-link"));
    await symlink("/", join(dir, "root-link"));
    await symlink(theirs.workspace, join(dir, "other-thread"));
    await symlink("sub", join(dir, "inner-link"));
    await symlink("/tmp/core-property-missing", join(dir, "dangling"));
    await symlink("etc-link", join(dir, "chain"));
    await symlink(join(sibling, "key"), join(dir, "sibling"));
    await writeFile(join(dir, "a"), "a");
  }
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const virtualPath = fc
  .tuple(
    fc.constantFrom(
      "/mnt/user-data",
      "/mnt/user-data/workspace",
      "/mnt/user-data/uploads",
      "/mnt/skills",
      "/mnt",
      "",
    ),
    fc.array(fc.constantFrom(...SEGMENTS), { maxLength: 8 }),
  )
  .map(([prefix, segments]) => [prefix, ...segments].join("/") || "x");

it("never resolves a path outside the matched mapping's real host root", async () => {
  await fc.assert(
    fc.asyncProperty(virtualPath, fc.boolean(), async (path, write) => {
      try {
        const resolved = await mapper.resolve(path, { write });
        const root = await realpath(resolved.mapping.hostPath);
        expect(isWithinPath(root, resolved.hostPath)).toBe(true);
        expect(write && resolved.mapping.readOnly).toBe(false);
      } catch (error) {
        if (!isSandboxError(error, "PERMISSION_DENIED", "READ_ONLY", "INVALID_ARGUMENT")) {
          throw error;
        }
        expect(error.message).not.toContain(base);
      }
    }),
    { numRuns: 1500 },
  );
});
