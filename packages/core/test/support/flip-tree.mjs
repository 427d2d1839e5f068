// The attacker's side of the host-files race test: a separate process that flips a directory of
// the sandbox's workspace between its real content and the host, as fast as it can, until it is
// killed. Usage: node flip-tree.mjs <pattern> <workspace> <hostDir>
//   rename-aside  `mv a a.real; ln -s HOST a; rm a; mv a.real a`          (issue 19, item 2)
//   symlink-swap  `b` is a symlink, atomically re-pointed between b.real and HOST by rename(2)
//   dir-swap      `c` and `c.evil` trade places; c.evil/s is a symlink to HOST
import { renameSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { join } from "node:path";

const [pattern, workspace, hostDir] = process.argv.slice(2);
const at = (name) => join(workspace, name);
// Each state is held for a random few microseconds, so the harness's calls land in every state
// and in every gap between two of its own system calls.
const hold = () => {
  const until = process.hrtime.bigint() + BigInt(Math.floor(Math.random() * 200_000));
  while (process.hrtime.bigint() < until);
};
const attempt = (step) => {
  try {
    step();
  } catch {
    // A step can fail when the harness holds or creates something in the way; flip on.
  }
  hold();
};

const flips = {
  "rename-aside": () => {
    attempt(() => renameSync(at("a"), at("a.real")));
    attempt(() => symlinkSync(hostDir, at("a")));
    attempt(() => unlinkSync(at("a")));
    attempt(() => renameSync(at("a.real"), at("a")));
  },
  "symlink-swap": () => {
    attempt(() => symlinkSync(hostDir, at("b.tmp")));
    attempt(() => renameSync(at("b.tmp"), at("b")));
    attempt(() => symlinkSync("b.real", at("b.tmp")));
    attempt(() => renameSync(at("b.tmp"), at("b")));
  },
  "dir-swap": () => {
    attempt(() => renameSync(at("c"), at("c.held")));
    attempt(() => renameSync(at("c.evil"), at("c")));
    attempt(() => renameSync(at("c"), at("c.evil")));
    attempt(() => renameSync(at("c.held"), at("c")));
  },
};

const flip = flips[pattern];
if (!flip) {
  process.stderr.write(`unknown pattern ${pattern}\n`);
  process.exit(2);
}
attempt(() => rmSync(at("b.tmp"), { force: true }));
process.stdout.write("ready\n");
for (;;) flip();
