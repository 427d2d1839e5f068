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
// Each state is held for a random moment (up to 0.2 ms, sleeping, so the harness keeps the
// CPU it needs on a 2-core machine), so the harness's calls land in every state and in every gap
// between two of its own system calls.
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const hold = () => {
  Atomics.wait(sleeper, 0, 0, Math.random() * 0.2);
};
// Only the two states that matter are held (the real tree, the one that leads out); the steps
// between them follow each other at once, so a check made in one state and a use made in the
// other are as close as they get.
const attempt = (step, held = false) => {
  try {
    step();
  } catch {
    // A step can fail when the harness holds or creates something in the way; flip on.
  }
  if (held) hold();
};

const flips = {
  "rename-aside": () => {
    attempt(() => renameSync(at("a"), at("a.real")));
    attempt(() => symlinkSync(hostDir, at("a")), true);
    attempt(() => unlinkSync(at("a")));
    attempt(() => renameSync(at("a.real"), at("a")), true);
  },
  "symlink-swap": () => {
    attempt(() => symlinkSync(hostDir, at("b.tmp")));
    attempt(() => renameSync(at("b.tmp"), at("b")), true);
    attempt(() => symlinkSync("b.real", at("b.tmp")));
    attempt(() => renameSync(at("b.tmp"), at("b")), true);
  },
  "dir-swap": () => {
    attempt(() => renameSync(at("c"), at("c.held")));
    attempt(() => renameSync(at("c.evil"), at("c")), true);
    attempt(() => renameSync(at("c"), at("c.evil")));
    attempt(() => renameSync(at("c.held"), at("c")), true);
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
