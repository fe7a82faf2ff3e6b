#!/usr/bin/env bash
# Installs the Debian packages in scripts/test-packages that this machine lacks: as root with apt-get,
# else stops at once (exit 1) printing the one command to run. `npm test` runs it first (pretest) and
# .ci/run before `npm ci`, so both install the same list. Test tools only: the app never needs them.
set -euo pipefail
list="${0%/*}/test-packages"

installed() {
  command -v "$1" >/dev/null 2>&1 && return 0
  # Debian keeps the postgres server binaries off the PATH.
  local dir
  for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/$1" ] && return 0; done
  return 1
}

need=()
while read -r binary package _; do
  case "$binary" in '' | '#'*) continue ;; esac
  installed "$binary" && continue
  case " ${need[*]-} " in *" $package "*) ;; *) need+=("$package") ;; esac
done <"$list"
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$EUID" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing the Debian packages the tests need: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
  exit 0
fi
{
  echo "The tests need Debian packages this machine lacks: ${need[*]}"
  echo "Install them (once), then run npm test again:"
  echo "  sudo sh -c 'apt-get update && apt-get install -y ${need[*]}'"
} >&2
exit 1
