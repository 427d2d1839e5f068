/** What the agent is asked to do, in both the real-model and the mock-model runs. */
export const TASK = [
  "In /mnt/user-data/workspace, write squares.sh: a POSIX sh script that writes",
  '"N squared is M" for N from 1 to 5 into squares.txt. Run it, check with grep that',
  "the line for 5 is there, fix the script if it is not, and run it again.",
].join(" ");

export const SYSTEM = [
  "You are a coding agent working in a sandbox. Use the tools; paths are under /mnt/user-data.",
  "Commands run with /bin/sh; there is no python. Finish with one sentence saying what you did.",
].join(" ");
