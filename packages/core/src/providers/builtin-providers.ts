/**
 * Short names config may use instead of a package name. Core only knows the names; the packages
 * are installed (or not) by the user.
 */
export const BUILTIN_PROVIDERS: Readonly<Record<string, string>> = Object.freeze({
  local: "@sandbox/provider-local",
  docker: "@sandbox/provider-docker",
});
