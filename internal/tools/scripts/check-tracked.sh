#!/usr/bin/env bash
# make lint: the repository is source. Fails when a tracked file is a compiled
# binary (ELF, Mach-O, PE, WebAssembly) or larger than 1 MiB; the largest docs
# and fixtures are far smaller, so either is a build output committed by mistake.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
limit=$((1024 * 1024))
bad=0
while IFS= read -r -d '' f; do
  [ -f "$f" ] || continue # deleted in the work tree, not yet committed
  size=$(stat -c %s -- "$f")
  if [ "$size" -gt "$limit" ]; then
    echo "tracked file over 1 MiB ($size bytes): $f" >&2
    bad=1
  fi
  magic=$(head -c 4 -- "$f" | od -An -tx1 | tr -d ' \n')
  case "$magic" in
    7f454c46) kind=ELF ;;
    feedface | feedfacf | cefaedfe | cffaedfe) kind=Mach-O ;;
    0061736d) kind=WebAssembly ;;
    4d5a*) # PE: "MZ", with the PE header where e_lfanew points
      off=$(od -An -tu4 -j 60 -N 4 -- "$f" 2>/dev/null | tr -d ' ')
      if [ -n "$off" ] && [ "$(od -An -tx1 -j "$off" -N 4 -- "$f" 2>/dev/null | tr -d ' \n')" = 50450000 ]; then kind=PE; else kind=; fi ;;
    *) kind= ;;
  esac
  if [ -n "$kind" ]; then
    echo "tracked file is a compiled $kind binary: $f (git rm --cached it; build outputs are ignored)" >&2
    bad=1
  fi
done < <(git ls-files -z)
[ "$bad" = 0 ] || { echo "the repository holds source only: remove the files above from git" >&2; exit 1; }
echo "tracked files: no binaries, none over 1 MiB"
