#!/usr/bin/env bash
# Postgres backup and restore, the one command both the scheduled backup (a CronJob in the topology)
# and the backup-verification test run.
#
#   pg-backup.sh backup  <database-url> <dir>     writes <dir>/hsc-jit-<UTC timestamp>.dump (+ .sha256)
#   pg-backup.sh restore <dump-file> <database-url>   restores into an empty database
#
# The URL may carry no password: use PGPASSWORD or a ~/.pgpass (never put secrets on a command line).
set -euo pipefail

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
bin() {
  local name=$1
  if command -v "$name" >/dev/null; then command -v "$name"; return; fi
  for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/$name" ] && { echo "$dir/$name"; return; }; done
  echo "pg-backup: $name not found: apt-get install -y postgresql-client" >&2; exit 3
}

[ $# -eq 3 ] || usage
case "$1" in
  backup)
    url=$2 dir=$3
    mkdir -p "$dir"
    out="$dir/hsc-jit-$(date -u +%Y%m%dT%H%M%SZ).dump"
    # Custom format: compressed, restorable table by table; written to a temp name, renamed when whole.
    "$(bin pg_dump)" --format=custom --no-owner --no-privileges --file="$out.partial" "$url"
    mv "$out.partial" "$out"
    (cd "$dir" && sha256sum "$(basename "$out")" > "$(basename "$out").sha256")
    echo "$out"
    ;;
  restore)
    file=$2 url=$3
    [ -f "$file" ] || { echo "pg-backup: no such dump: $file" >&2; exit 2; }
    if [ -f "$file.sha256" ]; then (cd "$(dirname "$file")" && sha256sum --quiet -c "$(basename "$file").sha256"); fi
    "$(bin pg_restore)" --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$file"
    ;;
  *) usage ;;
esac
