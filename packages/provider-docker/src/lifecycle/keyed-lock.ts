// The keyed lock is core's now (`KeyedLock` from `@sandbox/core`, issue 11). This re-export
// keeps the lifecycle modules that still import it here working; delete it once they import
// it from core.
export { KeyedLock } from "@sandbox/core";
