// One quoting rule for every shell the kit talks to: core's (the shell-backed file API uses it).
export { shellQuote } from "@sandbox/core";
