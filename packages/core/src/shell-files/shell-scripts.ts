/**
 * POSIX shell helpers for file operations that have to run inside the sandbox (the host cannot
 * see the files). They need only `/bin/sh`, `readlink`, `find`, `printf`, `ls`, `head`, `cat`,
 * `mkdir` and `mv`, which every busybox or coreutils system has. Records are NUL-separated, so
 * any file name survives. Arguments are `$1`, `$2`... (set by `withArguments`).
 */

/**
 * `resolve PATH` prints `KIND\0REAL\0TAIL\0`: the real path of the nearest existing ancestor of
 * PATH (every symlink followed, dangling ones too, at most 40 hops) and the missing part below
 * it. KIND is `d`, `f`, `o` (another existing thing), `n` (missing: TAIL is not empty) or `e`
 * (a symlink loop or an unreadable directory).
 */
const RESOLVE_FUNCTION = `resolve() {
  p=$1; tail=; hops=0
  while :; do
    if [ -L "$p" ]; then
      hops=$((hops + 1))
      if [ "$hops" -gt 40 ]; then printf 'e\\0%s\\0\\0' "$1"; return; fi
      target=$(readlink -- "$p") || { printf 'e\\0%s\\0\\0' "$1"; return; }
      case $target in
        /*) p=$target ;;
        *) p=\${p%/*}/$target ;;
      esac
      continue
    fi
    if [ -e "$p" ] || [ "$p" = / ]; then break; fi
    tail=/\${p##*/}$tail
    p=\${p%/*}
    [ -z "$p" ] && p=/
  done
  if [ -d "$p" ]; then
    real=$(cd -P -- "$p" 2>/dev/null && pwd -P) || { printf 'e\\0%s\\0\\0' "$1"; return; }
  else
    dir=\${p%/*}
    [ -z "$dir" ] && dir=/
    real=$(cd -P -- "$dir" 2>/dev/null && pwd -P) || { printf 'e\\0%s\\0\\0' "$1"; return; }
    real=\${real%/}/\${p##*/}
  fi
  if [ -n "$tail" ]; then kind=n
  elif [ -d "$p" ]; then kind=d
  elif [ -f "$p" ]; then kind=f
  else kind=o
  fi
  printf '%s\\0%s\\0%s\\0' "$kind" "$real" "$tail"
}`;

/** Resolves every argument: one `KIND\0REAL\0TAIL\0` record each. */
export const RESOLVE_SCRIPT = `${RESOLVE_FUNCTION}
for path do resolve "$path"; done`;

/**
 * Like {@link RESOLVE_SCRIPT}, then one more field: the `ls -ld` permission string of the first
 * argument's real path when it is a regular file (`-rwxr-xr-x`), else empty. A write keeps the
 * bits of the file it replaces (`resolve` leaves `$kind` and `$real` set when it succeeds).
 */
export const RESOLVE_FOR_WRITE_SCRIPT = `${RESOLVE_FUNCTION}
kind=; resolve "$1"; perms=
if [ "$kind" = f ]; then perms=$(ls -ldn -- "$real" 2>/dev/null | cut -c1-10); fi
shift
for path do resolve "$path"; done
printf '%s\\0' "$perms"`;

/**
 * Classifies every argument without following it; a symlink's record is followed by its resolve
 * record, and by `B\0PATH\0` when it leads to a file larger than `$big` bytes (so grep never
 * reads a big file through a link).
 */
const CLASSIFY_SCRIPT = `${RESOLVE_FUNCTION}
for path do
  if [ -L "$path" ]; then printf 'l\\0%s\\0' "$path"; resolve "$path"
    if [ -n "$(find -L "$path" -prune -type f -size +"$big"c 2>/dev/null)" ]; then printf 'B\\0%s\\0' "$path"; fi
  elif [ -d "$path" ]; then printf 'd\\0%s\\0' "$path"
  elif [ -f "$path" ]; then printf 'f\\0%s\\0' "$path"
  else printf 'o\\0%s\\0' "$path"
  fi
done`;

/**
 * `walk CLASSIFY ROOT DEPTH BIG` prints one record per entry below ROOT (not following symlinks,
 * at most DEPTH levels when DEPTH is not empty): `d\0PATH\0` directory, `f\0PATH\0` file,
 * `o\0PATH\0` anything else, and for a symlink `l\0PATH\0` followed by the resolve record of
 * its target. Files larger than BIG bytes are listed first as `B\0PATH\0`. Two passes with one
 * `-exec ... +` each: busybox find loses batches when one expression has several.
 */
export const WALK_SCRIPT = `classify=$1; root=$2; depth=$3; big=$4
export big
shift 4
if [ -n "$depth" ]; then set -- -maxdepth "$depth"; fi
find "$root" -mindepth 1 "$@" -type f -size +"$big"c -exec printf 'B\\0%s\\0' {} +
find "$root" -mindepth 1 "$@" -exec /bin/sh -c "$classify" sh {} +`;

/** The first argument {@link WALK_SCRIPT} needs. */
export const WALK_CLASSIFY_ARGUMENT = CLASSIFY_SCRIPT;

/**
 * `big PATH MAX` prints PATH when it is a regular file larger than MAX bytes, without reading
 * it: the size check before a read.
 */
export const BIG_FILE_SCRIPT = `find "$1" -prune -type f -size +"$2"c`;

/**
 * `lines PATH END CAP` prints the first END lines of PATH, at most CAP bytes: a line range is
 * read in the sandbox only up to its last line.
 */
export const HEAD_LINES_SCRIPT = `head -n "$2" "$1" | head -c "$3"`;

/**
 * `read PATH CAP` prints the first CAP bytes of PATH: file bytes for a backend without a byte
 * API of its own.
 */
export const READ_BYTES_SCRIPT = `head -c "$2" "$1"`;

/**
 * `write PATH TEMP MODE` replaces PATH with standard input: written to TEMP (a fresh name in the
 * same directory, created with noclobber so a planted file or link there is never followed),
 * given MODE when not empty, then renamed over PATH, so a reader never sees half a file.
 */
export const WRITE_BYTES_SCRIPT = `set -C
cat > "$2" || { rm -f -- "$2"; exit 1; }
if [ -n "$3" ]; then chmod "$3" "$2" || { rm -f -- "$2"; exit 1; }; fi
mv -f -- "$2" "$1" || { rm -f -- "$2"; exit 1; }`;

/** `mkdirs DIR` creates DIR and its missing parents, as the sandbox's user. */
export const MAKE_DIRECTORIES_SCRIPT = `mkdir -p -- "$1"`;
