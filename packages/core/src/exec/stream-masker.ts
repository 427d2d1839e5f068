/**
 * Masks host paths in a stream of output chunks.
 *
 * A host path can be split across two chunks (`/srv/da` + `ta/ws/a.txt`), and masking each chunk
 * alone would leak both halves. The masker holds back any tail that could still grow into a host
 * path and emits it once the next chunk (or the end) decides.
 *
 * @example
 * ```ts
 * const masker = createStreamMasker((t) => mapper.maskOutput(t), mapper.hostPaths);
 * child.stdout.on("data", (chunk) => emit(masker.push(decoder.write(chunk))));
 * child.on("close", () => emit(masker.flush()));
 * ```
 */
export interface StreamMasker {
  /** Adds a chunk; returns the masked text that is safe to emit now (possibly empty). */
  push(chunk: string): string;
  /** Returns whatever is still held back, masked. */
  flush(): string;
}

/** Creates a {@link StreamMasker} for a `mask` function and the host paths it replaces. */
export function createStreamMasker(
  mask: (text: string) => string,
  hostPaths: readonly string[],
): StreamMasker {
  let held = "";
  return {
    push(chunk) {
      const buffer = held + chunk;
      const cut = buffer.length - heldTailLength(buffer, hostPaths);
      held = buffer.slice(cut);
      return mask(buffer.slice(0, cut));
    },
    flush() {
      const rest = held;
      held = "";
      return mask(rest);
    },
  };
}

// The longest suffix of `buffer` that is a prefix of a host path (a whole host path included:
// the next chunk may glue more name characters to it, which would change the match).
function heldTailLength(buffer: string, hostPaths: readonly string[]): number {
  let longest = 0;
  for (const hostPath of hostPaths) {
    const max = Math.min(hostPath.length, buffer.length);
    for (let length = max; length > longest; length -= 1) {
      if (buffer.endsWith(hostPath.slice(0, length))) {
        longest = length;
        break;
      }
    }
  }
  return longest;
}
