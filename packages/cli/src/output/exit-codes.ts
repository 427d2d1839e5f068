// The CLI's own exit statuses, apart from the error formatting (which imports @sandbox/core), so
// `sandbox --version`, `--help` and usage errors start without loading the library.

/** Exit status for bad usage or configuration: the caller must change what they typed. */
export const EXIT_USAGE = 2;
/** Exit status for everything else that went wrong. */
export const EXIT_FAILURE = 1;
