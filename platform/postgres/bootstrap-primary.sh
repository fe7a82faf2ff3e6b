#!/bin/sh
# The primary's entry point. First start (empty $PGDATA): initdb with the superuser password from the
# Secret, then create the replication role, the app role and the app database in single-user mode (no
# port is open while roles have no password yet). Every start: exec postgres with the rendered
# postgresql.conf and pg_hba.conf from $CONFIG_DIR, so postgres is PID 1's child-free successor and gets
# SIGTERM directly.
#
# Environment: PGDATA, CONFIG_DIR, POSTGRES_PASSWORD, REPLICATION_PASSWORD, APP_USER, APP_PASSWORD, APP_DATABASE.
set -eu
: "${PGDATA:?}" "${CONFIG_DIR:?}" "${POSTGRES_PASSWORD:?}" "${REPLICATION_PASSWORD:?}" "${APP_USER:?}" "${APP_PASSWORD:?}" "${APP_DATABASE:?}"

# A SQL string literal: single quotes doubled.
literal() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"; }

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "bootstrap-primary: initialising $PGDATA"
  pwfile=$(mktemp)
  trap 'rm -f "$pwfile"' EXIT
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  initdb -D "$PGDATA" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C
  rm -f "$pwfile"
  postgres --single -D "$PGDATA" postgres > /dev/null <<SQL
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD $(literal "$REPLICATION_PASSWORD");
CREATE ROLE "$APP_USER" WITH LOGIN PASSWORD $(literal "$APP_PASSWORD");
CREATE DATABASE "$APP_DATABASE" OWNER "$APP_USER";
SQL
  echo "bootstrap-primary: roles replicator, $APP_USER and database $APP_DATABASE created"
fi
exec postgres -D "$PGDATA" -c config_file="$CONFIG_DIR/postgresql.conf" -c hba_file="$CONFIG_DIR/pg_hba.conf"
